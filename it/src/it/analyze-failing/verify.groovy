import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('40 spectral rule violations in ')
// One line per offending head: layer, head, circuit, metric, value, limit.
assert log.contains('layer 0, head 0, OV: numericalRank = 8 is above the maximum 7')
assert log.contains('layer 4, head 7, OV: numericalRank = 8 is above the maximum 7')
assert !log.contains(', QK: ') : 'the QK rule passed and must not be listed'
assert !log.contains('NullPointerException')

// The report is still written, with the failed check recorded.
def json = new JsonSlurper().parse(new File(basedir, 'target/spectral/spectral-report.json'))
assert json.checks.size() == 2
assert json.checks[0].passed
assert !json.checks[1].passed
assert json.checks[1].message.startsWith('violated by 40 of 40 circuits')
assert json.control == null : 'control=false'
return true
