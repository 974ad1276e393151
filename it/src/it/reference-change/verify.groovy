import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('1 spectral rule violation')
assert log.contains('layer 3, head 5, OV: changed from the reference model by score = 0.5')
def json = new JsonSlurper().parse(new File(basedir, 'target/spectral/spectral-report.json'))
assert json.changedHeads.size() == 80
def top = json.changedHeads[0]
assert top.layer == 3 && top.head == 5 && top.circuit == 'OV'
assert Math.abs(top.score - 0.5) < 1e-6
assert json.changedHeads.drop(1).every { it.score == 0 }
assert json.referenceComparison.changedCircuits == 1
assert new File(basedir, 'target/spectral/heatmap_reference_change.png').isFile()
return true
