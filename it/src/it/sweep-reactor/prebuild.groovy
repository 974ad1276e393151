// The sweep example as it is in the repository, and next to it the model it is made from, in the layout the
// example expects (../../stories260k from a checkpoint module). Copied at build time so both exist once in
// git, under examples/; the plugin version is the one under test.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

Path from = new File(exampleSweep).toPath()
Path to = new File(basedir, 'sweep').toPath()
Files.walk(from).filter { p -> !from.relativize(p).toString().split('/').contains('target') }.each { p ->
    Path dest = to.resolve(from.relativize(p).toString())
    if (Files.isDirectory(p)) {
        Files.createDirectories(dest)
    } else {
        Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING)
    }
}
['sweep/pom.xml', 'ci-download/pom.xml'].each { path ->
    File file = new File(basedir, path)
    String pom = file.getText('UTF-8')
    String pinned = pom.replaceFirst('<spectral.version>[^<]*</spectral.version>', "<spectral.version>${projectVersion}</spectral.version>")
    assert pinned.contains("<spectral.version>${projectVersion}</spectral.version>")
    file.setText(pinned, 'UTF-8')
}

File model = new File(basedir, 'stories260k')
model.mkdirs()
['config.json', 'model.safetensors'].each { name ->
    Files.copy(new File(exampleModel, name).toPath(), new File(model, name).toPath(), StandardCopyOption.REPLACE_EXISTING)
}
return true
