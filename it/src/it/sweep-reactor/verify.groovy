// The sweep reactor under -T 2: the checkpoints in reactor order, the scaled head's OV spectral norm growing
// 1 : 1.5 : 2 : 3 while every other circuit stays put, the charts and pages, and the same aggregate from a
// folder of downloaded reports.
import groovy.json.JsonSlurper
import javax.imageio.ImageIO

def log = new File(basedir, 'build.log').text
assert log.count('BUILD SUCCESS') == 3 : 'verify, site and the reports-folder build must all succeed'
assert log.contains('Using the MultiThreadedBuilder implementation with a thread count of 2')
// Maven names any goal of the build that is not declared thread-safe; none may be
assert !log.contains('not marked as @threadSafe') && !log.contains('@threadSafe') : 'a goal is not thread-safe'

// reactor order: the checkpoints as declared, the aggregate last
def built = log.readLines().findAll { it ==~ /\[INFO\] sweep.*\[pom\]/ }.collect { it.replaceAll(/\[INFO\] | *\[pom\]/, '') }
assert built.take(6) == ['sweep', 'sweep :: scale-1.0', 'sweep :: scale-1.5', 'sweep :: scale-2.0', 'sweep :: scale-3.0',
                         'sweep :: trajectory'] : "reactor order: ${built.take(6)}"

def names = ['scale-1.0', 'scale-1.5', 'scale-2.0', 'scale-3.0']
def factors = [1.0d, 1.5d, 2.0d, 3.0d]
def sweep = new File(basedir, 'sweep')
names.each { n ->
    def report = new File(sweep, "$n/target/spectral/spectral-report.json")
    assert report.isFile() : "$n wrote no report"
    assert new File(sweep, "$n/target/model/model.safetensors").isFile() : "$n made no model"
}

def out = new File(sweep, 'trajectory/target/spectral-aggregate')
def aggregateFile = new File(out, 'spectral-aggregate.json')
assert aggregateFile.isFile() : 'the aggregate was not written'
def json = new JsonSlurper().parse(aggregateFile)
assert json.schemaVersion == 1
assert json.checkpoints*.name == names : "checkpoints not in reactor order: ${json.checkpoints*.name}"
json.checkpoints.each { c ->
    assert c.containsKey('fingerprint') && c.containsKey('thinkingHeads') && c.containsKey('settings')
    assert c.model.architecture == 'LlamaForCausalLM'
    assert c.model.path.endsWith("${c.name}/target/model") : c.model.path
    assert c.heads.size() == 40
}

// head L2H5 (the example's sweep.layer / sweep.head): its OV spectral norm scales exactly with o_proj
def norm = { int i, String circuit, int layer, int head, String metric = 'spectralNorm' ->
    def h = json.checkpoints[i].heads.find { it.layer == layer && it.head == head }
    h[circuit].stats[metric] as double
}
double s0 = norm(0, 'ov', 2, 5)
(1..3).each { i ->
    double ratio = norm(i, 'ov', 2, 5) / s0
    // x2 is a power of two, exact in floating point; x1.5 and x3 round each float32 weight (2^-24)
    double tolerance = factors[i] == 2.0d ? 1e-12 : 1e-6
    assert Math.abs(ratio / factors[i] - 1) < tolerance : "OV spectral norm ratio ${ratio} at ${names[i]}, expected ${factors[i]}"
    // a scale changes neither the shape of its spectrum (up to that rounding) nor the other circuits
    assert Math.abs(norm(i, 'ov', 2, 5, 'effectiveRank') / norm(0, 'ov', 2, 5, 'effectiveRank') - 1) < tolerance
    assert Math.abs(norm(i, 'qk', 2, 5) / norm(0, 'qk', 2, 5) - 1) < 1e-12
}
json.checkpoints[0].heads.each { h ->
    if (!(h.layer == 2 && h.head == 5)) {
        (1..3).each { i ->
            ['qk', 'ov'].each { c ->
                assert Math.abs(norm(i, c, h.layer, h.head) / norm(0, c, h.layer, h.head) - 1) < 1e-12 :
                        "L${h.layer}H${h.head} ${c} changed at ${names[i]}"
            }
        }
    }
}
def top = json.mostChanged[0]
assert [top.rank, top.layer, top.head, top.circuit, top.metric] == [1, 2, 5, 'OV', 'spectralNorm'] : "${json.mostChanged}"
assert json.mostChanged.size() == 1 : 'only the scaled head changes'

// the charts, the page naming the checkpoints
['trajectories.png', 'heatmap_spectral_norm_ratio.png'].each { png ->
    def img = ImageIO.read(new File(out, png))
    assert img != null && img.width >= 800 && img.height >= 600 : "$png is not a readable chart"
}
def page = new File(out, 'spectral-aggregate.html').getText('UTF-8')
assert page.contains('4 checkpoints, in reactor order: scale-1.0, scale-1.5, scale-2.0, scale-3.0.')
assert page.contains('L2H5')

// the site: the trajectory page inside the skin with its charts, and each checkpoint's own report page
def site = new File(sweep, 'trajectory/target/site')
def sitePage = new File(site, 'spectral-aggregate.html')
assert sitePage.isFile() : 'mvn site made no trajectory page'
def html = sitePage.getText('UTF-8')
assert html.contains('fluido') : 'the trajectory page is not inside the skin'
names.each { n -> assert html.contains(n) : "the site page does not name $n" }
['spectral-aggregate/trajectories.png', 'spectral-aggregate/heatmap_spectral_norm_ratio.png'].each { src ->
    assert html.contains("src=\"$src\"") : "the site page does not show $src"
    assert ImageIO.read(new File(site, src)) != null : "$src missing next to the site page"
}
names.each { n ->
    def checkpointPage = new File(sweep, "$n/target/site/spectral-report.html")
    assert checkpointPage.isFile() && checkpointPage.getText('UTF-8').contains('OV circuit per head') : "$n has no site report"
}
assert log.contains('Reading ' + new File(sweep, 'scale-1.5/target/spectral/spectral-report.json').canonicalPath) ||
        log.contains('scale-1.5/target/spectral/spectral-report.json') : 'the site reads the reports of verify'

// the CI recipe's last job: the same JSON from the downloaded reports
def downloaded = new File(basedir, 'ci-download/target/spectral-aggregate/spectral-aggregate.json')
assert downloaded.isFile() : 'the reports-folder aggregate was not written'
assert downloaded.getText('UTF-8') == aggregateFile.getText('UTF-8') : 'the reports folder gives another aggregate'
assert log.contains('Aggregated 4 checkpoints in the natural order of the folders of')
return true
