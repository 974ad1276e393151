// spectral:report alone: a self-contained target/site/spectral-report.html (no site skin to resolve) with its
// summary, comparison and per-head tables, and every chart it shows next to it.
import java.util.regex.Pattern
import javax.imageio.ImageIO

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert log.contains('running the analysis') : 'the report should have run the analysis (no report file)'

def site = new File(basedir, 'target/site')
def page = new File(site, 'spectral-report.html')
assert page.isFile() : 'no spectral-report.html in target/site'
assert log.contains('Wrote ' + page.canonicalPath) : 'the log should say where the page was written'
// the page's own analysis leaves the analysis output directory alone
assert !new File(basedir, 'target/spectral').exists()

def html = page.getText('UTF-8')
assert html.startsWith('<!DOCTYPE html>')
assert html.contains('<title>Spectral circuits</title>')
assert html.contains('<style>') : 'the page brings its own stylesheet'
assert !html.contains('<link') && !html.contains('fluido') : 'no skin or stylesheet to fetch'
assert html.contains('LlamaForCausalLM')

// summary (model, settings), comparison with the control (on by default) and the per-head tables
assert html.contains('<h2>Summary</h2>')
assert html.contains('Trained vs random control')
def perHeadRows = { String heading ->
    int start = html.indexOf(heading)
    assert start >= 0 : "no section $heading"
    def table = html.substring(html.indexOf('<table', start), html.indexOf('</table>', start))
    table.count('<tr') - 1
}
// layers 0-1 of 5, 8 heads each
assert perHeadRows('<h2>QK circuit per head</h2>') == 16
assert perHeadRows('<h2>OV circuit per head</h2>') == 16

def images = []
def m = Pattern.compile('<img[^>]*src="([^"]+)"').matcher(html)
while (m.find()) {
    images << m.group(1)
}
['qk_eigenvalue_distribution.png', 'ov_eigenvalue_distribution.png', 'comparison_qk.png', 'comparison_ov.png',
 'eigenvalues_complex_plane.png', 'heatmap_ov_positivity.png', 'heatmap_effective_rank.png'].each { name ->
    assert images.contains('spectral/' + name) : "page does not show $name; it shows $images"
}
images.each { src ->
    def file = new File(site, src)
    assert src.endsWith('.png') && file.isFile() : "image $src missing next to the page"
    def img = ImageIO.read(file)
    assert img != null && img.width >= 600 && img.height >= 300 : "$src is not a readable chart"
}
return true
