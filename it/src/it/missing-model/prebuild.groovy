// The report of an earlier good run, which a failed run must leave exactly as it was.
def earlier = new File(basedir, 'target/spectral/spectral-report.json')
earlier.parentFile.mkdirs()
earlier.text = '{"schemaVersion": 1, "note": "an earlier run"}\n'
return true
