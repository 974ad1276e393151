def log = new File(basedir, 'build.log').text
def error = log.readLines().find { it.startsWith('[ERROR] Failed to execute goal') }
assert error != null
assert error.contains('config.json') : "the error names the missing file: $error"
assert !error.contains('Execution ') && !error.contains('Exception') : "a raw exception leaked: $error"
assert !new File(basedir, 'target/spectral/spectral-report.json').exists() : 'no partial report'
return true
