import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('All 2 rule limits passed.')
def json = new JsonSlurper().parse(new File(basedir, 'target/spectral/spectral-report.json'))
assert json.checks.size() == 2 && json.checks.every { it.passed }
assert json.checks[0].message == 'passed on all 80 circuits'
return true
