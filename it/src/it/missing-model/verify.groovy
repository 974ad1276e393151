def log = new File(basedir, 'build.log').text
def errors = log.readLines().findAll { it.startsWith('[ERROR] Failed to execute goal') }
assert errors.size() == 2 : "both runs fail: $errors"
errors.each { error ->
    assert error.contains('config.json') : "the error names the missing file: $error"
    assert !error.contains('Execution ') && !error.contains('Exception') : "a raw exception leaked: $error"
    assert error.contains('from an earlier run was left unchanged; it does not describe this failed run') : error
}
// The forked analysis and the one in Maven's JVM say the same paragraph.
def paragraph = { String e -> e.substring(e.indexOf('on project missing-model: ')) }
assert paragraph(errors[0]) == paragraph(errors[1]) : "fork and in-process differ:\n${errors[0]}\n${errors[1]}"
assert new File(basedir, 'target/spectral/spectral-report.json').text == '{"schemaVersion": 1, "note": "an earlier run"}\n' :
        'the earlier report was left byte for byte'
assert new File(basedir, 'target/spectral').list().toList() == ['spectral-report.json'] : 'nothing partial was written'
return true
