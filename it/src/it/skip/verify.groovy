def log = new File(basedir, 'build.log').text
assert log.contains('Skipping spectral:extract (spectral.skip=true).')
assert log.contains('Skipping spectral:analyze (spectral.skip=true).')
assert log.contains('Skipping spectral:report (spectral.skip=true).')
assert log.contains('BUILD SUCCESS') : 'a rule that cannot pass must not run when skipped'
assert !new File(basedir, 'target/spectral').exists()
assert !new File(basedir, 'target/site').exists()
return true
