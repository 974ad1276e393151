// The project directory is the model: stories260k with layer 3 head 5's o_proj.weight columns (40..47 of the
// [64, 64] float32 matrix) times 1.5; reference/ holds the original.
import groovy.json.JsonSlurper
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Files
import java.nio.file.StandardCopyOption

def reference = new File(basedir, 'reference')
reference.mkdirs()
['config.json', 'model.safetensors'].each { name ->
    Files.copy(new File(exampleModel, name).toPath(), new File(reference, name).toPath(),
            StandardCopyOption.REPLACE_EXISTING)
}
Files.copy(new File(exampleModel, 'config.json').toPath(), new File(basedir, 'config.json').toPath(),
        StandardCopyOption.REPLACE_EXISTING)
byte[] bytes = new File(exampleModel, 'model.safetensors').bytes
def buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
int headerLength = (int) buf.getLong(0)
def header = new JsonSlurper().parseText(new String(bytes, 8, headerLength, 'UTF-8'))
def t = header['model.layers.3.self_attn.o_proj.weight']
assert t.dtype == 'F32'
long start = 8 + headerLength + (t.data_offsets[0] as long)
int cols = t.shape[1] as int
for (int r = 0; r < (t.shape[0] as int); r++) {
    for (int c = 40; c < 48; c++) {
        int at = (int) (start + 4L * (r * cols + c))
        buf.putFloat(at, (float) (buf.getFloat(at) * 1.5f))
    }
}
new File(basedir, 'model.safetensors').bytes = bytes
return true
