import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def forkedDir = new File(basedir, 'target/forked')
def inProcessDir = new File(basedir, 'target/in-process')
def forked = new JsonSlurper().parse(new File(forkedDir, 'spectral-report.json'))
def inProcess = new JsonSlurper().parse(new File(inProcessDir, 'spectral-report.json'))

// Which JVM ran which analysis: only the second says it ran in Maven's.
def analysing = log.readLines().findAll { it.startsWith('[INFO] Analysing ') }
assert analysing.size() == 2 : analysing
assert !analysing[0].contains("in Maven's JVM") && analysing[1].endsWith("in Maven's JVM") : analysing
// The child's progress is relayed line by line: each run logs every layer of the trained model and the control.
// Each layer's line ends with the elapsed time, and before the last with an estimate of the time left.
assert log.readLines().count { it ==~ /\[INFO\] Layer 4 \(5\/5\): QK and OV spectra of 8 heads; .+ elapsed/ } == 4
assert log.readLines().count { it ==~ /\[INFO\] Layer 0 \(1\/5\): QK and OV spectra of 8 heads; .+ elapsed, about .+ left/ } == 4
assert log.readLines().count { it.startsWith('[INFO] Wrote 8 charts to ') } == 2
assert log.readLines().count { it == '[INFO] All 4 rule limits passed.' } == 2

// The same report: the same heads, checks and statistics (the forked JVM may use the SIMD kernel and Maven's
// the plain loops, so the last bits may differ).
assert forked.trained.heads.size() == 40 && forked.control.heads.size() == 40
assert forked.checks.size() == 4 && forked.checks.every { it.passed }
assert forked.checks*.message == inProcess.checks*.message
assert forked.settings == inProcess.settings && forked.model == inProcess.model
['trained', 'control'].each { part ->
    [forked[part].heads, inProcess[part].heads].transpose().each { a, b ->
        assert a.layer == b.layer && a.head == b.head
        ['qk', 'ov'].each { c ->
            a[c].stats.each { name, value ->
                def other = b[c].stats[name]
                if (value instanceof Number && other instanceof Number) {
                    double scale = Math.max(1.0d, Math.abs(value as double))
                    assert Math.abs((value as double) - (other as double)) <= 1e-9 * scale : "$part L${a.layer}H${a.head} $c $name: $value vs $other"
                } else {
                    assert value == other : "$part L${a.layer}H${a.head} $c $name: $value vs $other"
                }
            }
        }
    }
}
// seven charts of the spectra and the composition heat map
def charts = { File d -> d.listFiles().findAll { it.name.endsWith('.png') }*.name.sort() }
assert charts(forkedDir).size() == 8 && charts(forkedDir) == charts(inProcessDir)
return true
