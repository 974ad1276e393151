import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def report = new File(basedir, 'target/spectral/spectral-report.json')
assert report.isFile() : 'analyze wrote no report'
def json = new JsonSlurper().parse(report)

assert json.schemaVersion == 1
assert json.model.architecture == 'LlamaForCausalLM'
assert json.model.vocabSize == 512
assert json.trained.heads.size() == 40 : 'expected 5 layers x 8 heads'
assert json.control.heads.size() == 40 : 'analyze builds the control by default'
// Every head's circuits are of rank at most d_head = 8, and numericalRank >= 8 was a passing rule.
json.trained.heads.each { h ->
    assert h.qk.rankBound == 8 && h.ov.rankBound == 8
    assert h.ov.stats.numericalRank == 8
}
// One check result per (rule, limit): 3 + 1, all passed.
assert json.checks.size() == 4
assert json.checks.every { it.passed }
assert json.checks[3].rule.contains('OV, layers 0-3, heads 0-7')

// Progress is logged per layer, and the rules' outcome is stated.
(0..4).each { l -> assert log =~ /(?i)layer $l/ : "no progress line for layer $l" }
assert log.contains('All 4 rule limits passed.')
assert log.contains('BUILD SUCCESS')
return true
