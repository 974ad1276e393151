// A Hugging Face cache holding the example model as huggingface_hub downloads it: the files are blobs,
// the snapshot of a commit links to them (../../blobs/<hash>), refs/main names the commit.
import java.nio.file.Files
import java.nio.file.Paths

def commit = '0123456789abcdef0123456789abcdef01234567'
def repo = new File(basedir, 'hf-cache/models--tiny-org--stories260k').toPath()
def snapshot = repo.resolve('snapshots').resolve(commit)
Files.createDirectories(repo.resolve('blobs'))
Files.createDirectories(snapshot)
Files.createDirectories(repo.resolve('refs'))
repo.resolve('refs/main').toFile().text = commit
['config.json', 'model.safetensors'].eachWithIndex { name, i ->
    def blob = String.format('%064x', i + 1)
    Files.copy(new File(exampleModel, name).toPath(), repo.resolve('blobs').resolve(blob))
    Files.createSymbolicLink(snapshot.resolve(name), Paths.get('../../blobs').resolve(blob))
}
Files.createDirectories(new File(basedir, 'not-the-cache').toPath())
return true
