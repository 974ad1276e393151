// The aggregate names the checkpoint module without a report, says what to do, and writes nothing.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
def missing = new File(basedir, 'not-analysed/target/spectral/spectral-report.json')
assert log.contains("No spectral report for the checkpoint module 'not-analysed' "
        + "(io.github.spectralcircuits.it:not-analysed:1.0): ${missing.canonicalPath} does not exist.") : 'no clear message'
assert log.contains('Run the analysis in that module before the aggregate')
assert new File(basedir, 'analysed/target/spectral/spectral-report.json').isFile() : 'the analysed module wrote no report'
assert !new File(basedir, 'trajectory/target/spectral-aggregate').exists() : 'a failed aggregate must write nothing'
return true
