// Each checkpoint module is a model repository: a copy of the example model next to its pom.
import java.nio.file.Files
import java.nio.file.StandardCopyOption

['analysed', 'not-analysed'].each { module ->
    ['config.json', 'model.safetensors'].each { name ->
        Files.copy(new File(exampleModel, name).toPath(), new File(basedir, "$module/$name").toPath(),
                StandardCopyOption.REPLACE_EXISTING)
    }
}
return true
