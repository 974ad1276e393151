import groovy.json.JsonSlurper

assert !new File(basedir, 'pom.xml').exists()
def log = new File(basedir, 'build.log').text
// extract: architecture, sizes and the grouped-query layout of each layer.
assert log.contains('LlamaForCausalLM')
assert log.contains('vocab 512, d_model 64, 5 layers x 8 heads (4 key/value heads), d_head 8')
assert log.contains('heads 0-1 -> kv 0')
assert log.contains('layer 4: W_Q 64x64, W_K 64x32, W_V 64x32, W_O 64x64')

// analyze without a project: the model is the current directory, the output ./target/spectral.
def json = new JsonSlurper().parse(new File(basedir, 'target/spectral/spectral-report.json'))
assert json.trained.heads.size() == 8 : 'layers 0-1 x heads 0-3'
assert json.trained.heads.collect { "${it.layer}/${it.head}" } == ['0/0', '0/1', '0/2', '0/3', '1/0', '1/1', '1/2', '1/3']
assert new File(json.model.path).canonicalPath == basedir.canonicalPath

// report without a project: reads that report and writes the page into ./target/site.
def page = new File(basedir, 'target/site/spectral-report.html')
assert page.isFile()
assert log.contains('Wrote ' + page.canonicalPath)
def html = page.getText('UTF-8')
assert html.contains('Numbers from ' + new File(basedir, 'target/spectral/spectral-report.json').canonicalPath)
int ov = html.indexOf('<h2>OV circuit per head</h2>')
assert html.substring(ov, html.indexOf('</table>', ov)).count('<tr') == 1 + 8
return true
