// Makes this project a model repository: a copy of the example model next to the pom
// (copied at build time so the weights exist once in git, under examples/stories260k).
import java.nio.file.Files
import java.nio.file.StandardCopyOption

['config.json', 'model.safetensors'].each { name ->
    Files.copy(new File(exampleModel, name).toPath(), new File(basedir, name).toPath(),
            StandardCopyOption.REPLACE_EXISTING)
}
return true
