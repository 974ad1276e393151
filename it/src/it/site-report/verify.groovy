// The site holds spectral-report.html inside the skin, with every chart it references next to it.
import java.util.regex.Pattern
import javax.imageio.ImageIO

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert log.contains('running the analysis') : 'the report should have run the analysis (no report file)'

def site = new File(basedir, 'target/site')
def page = new File(site, 'spectral-report.html')
assert page.isFile() : 'no spectral-report.html in target/site'
def html = page.getText('UTF-8')

// rendered inside the skin (its stylesheet and navigation), not as a bare fragment
assert html.contains('maven-fluido') || html.contains('fluido') : 'page is not inside the fluido skin'
assert html.contains('Spectral circuits')
assert html.contains('LlamaForCausalLM')

// the tables: model, settings, pooled comparison, rank hypothesis, thinking heads, QK and OV per head
assert html.count('<table') >= 7 : 'expected the summary, comparison and per-head tables'
assert html.contains('Trained vs random control') : 'the control is on by default'
assert html.contains('QK circuit per head') && html.contains('OV circuit per head')

def images = []
def m = Pattern.compile('<img[^>]*src="([^"]+)"').matcher(html)
while (m.find()) {
    images << m.group(1)
}
def charts = images.findAll { it.startsWith('spectral/') }
['qk_eigenvalue_distribution.png', 'ov_eigenvalue_distribution.png', 'comparison_qk.png', 'comparison_ov.png',
 'eigenvalues_complex_plane.png', 'heatmap_ov_positivity.png', 'heatmap_effective_rank.png'].each { name ->
    assert charts.contains('spectral/' + name) : "page does not show $name; it shows $charts"
}
charts.each { src ->
    def file = new File(site, src)
    assert file.isFile() : "image $src missing next to the page"
    def img = ImageIO.read(file)
    assert img != null && img.width >= 600 && img.height >= 300 : "$src is not a readable chart"
}
return true
