import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def snapshot = new File(basedir, 'hf-cache/models--tiny-org--stories260k/snapshots/0123456789abcdef0123456789abcdef01234567')
['target/spectral', 'target/in-process'].each { out ->
    def report = new File(basedir, out + '/spectral-report.json')
    assert report.isFile() : "no report in $out"
    def json = new JsonSlurper().parse(report)
    assert json.model.architecture == 'LlamaForCausalLM'
    assert new File(json.model.path).canonicalPath == snapshot.canonicalPath : json.model.path
    assert json.trained.heads.size() == 8 : 'layers 0-1 x heads 0-3'
}
assert !new File(basedir, 'tiny-org').exists() : 'nothing is created under the project'
assert new File(basedir, 'not-the-cache').list().length == 0 : 'nothing is written into any cache'
assert log.contains('BUILD SUCCESS')
return true
