package io.github.spectralcircuits.io.torch;

import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.io.torch.PickleMachine.PyTuple;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The allow-list: the only Python globals a state dict saved by torch.save refers to, each
 * replaced by a Java stand-in that builds plain data. Any other global is refused at the GLOBAL
 * opcode itself, before anything could call it.
 */
final class TorchPickleRules implements PickleMachine.Rules {

    /** The allow-listed callables (storage types are {@link StorageType} values). */
    enum Callable {
        ORDERED_DICT("collections", "OrderedDict"),
        REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2"),
        REBUILD_PARAMETER("torch._utils", "_rebuild_parameter");

        final String module;
        final String name;

        Callable(String module, String name) {
            this.module = module;
            this.name = name;
        }

        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    private static final int MAX_RANK = 64;

    private final String source;
    private final Map<String, StorageRef> storages = new HashMap<>();

    TorchPickleRules(String source) {
        this.source = source;
    }

    @Override
    public Object global(String fileModule, String fileName) {
        String module = Printable.of(fileModule);
        String name = Printable.of(fileName);
        for (Callable c : Callable.values()) {
            if (c.module.equals(module) && c.name.equals(name)) {
                return c;
            }
        }
        if (module.equals("torch") && name.endsWith("Storage")) {
            StorageType type = StorageType.forClassName(name);
            if (type == null) {
                throw refuse("it stores a tensor in torch." + name + ", a storage type this reader does not know"
                        + " (it reads " + StorageType.supportedList() + ")");
            }
            return type;
        }
        throw new ModelInputException("Refusing to read the PyTorch checkpoint " + source + ": its pickle refers to"
                + " the Python global '" + module + "." + name + "' (GLOBAL '" + module + " " + name + "'), which is"
                + " not one of the globals a plain state dict needs (" + allowedList() + "). Loading it with"
                + " torch.load would import and possibly call it, so the file may be hostile; nothing from it was"
                + " executed or imported here. Use a checkpoint from a trusted source, or convert the weights to"
                + " model.safetensors in an isolated environment.");
    }

    @Override
    public Object persistentLoad(Object pid) {
        if (!(pid instanceof PyTuple) || ((PyTuple) pid).size() != 5 || !"storage".equals(((PyTuple) pid).get(0))) {
            throw refuse("a persistent id is " + PickleMachine.describe(pid)
                    + " instead of ('storage', type, key, location, numel)");
        }
        PyTuple t = (PyTuple) pid;
        if (!(t.get(1) instanceof StorageType)) {
            throw refuse("a storage's type is " + PickleMachine.describe(t.get(1)) + ", not a torch storage class");
        }
        StorageType type = (StorageType) t.get(1);
        if (!(t.get(2) instanceof String) || !(t.get(3) instanceof String)) {
            throw refuse("a storage's key or location is not a string");
        }
        String key = (String) t.get(2);
        if (!key.matches("[A-Za-z0-9_.-]{1,64}") || key.equals(".") || key.equals("..")) {
            throw refuse("a storage key is '" + Printable.of(key) + "' (torch.save writes plain numbers)");
        }
        long numel = nonNegative(t.get(4), "the element count of storage '" + key + "'");
        StorageRef ref = new StorageRef(type, key, (String) t.get(3), numel);
        StorageRef earlier = storages.putIfAbsent(key, ref);
        if (earlier != null) {
            if (earlier.type() != type || earlier.numel() != numel) {
                throw refuse("storage '" + key + "' is declared twice, as " + earlier.numel() + " x "
                        + earlier.type().qualifiedName() + " and as " + numel + " x " + type.qualifiedName());
            }
            return earlier;
        }
        return ref;
    }

    @Override
    public Object reduce(Object callable, PyTuple args) {
        if (callable == Callable.ORDERED_DICT) {
            if (args.size() != 0) {
                throw refuse("collections.OrderedDict is called with arguments; torch.save never does that");
            }
            return new LinkedHashMap<Object, Object>();
        }
        if (callable == Callable.REBUILD_TENSOR_V2) {
            return rebuildTensor(args);
        }
        if (callable == Callable.REBUILD_PARAMETER) {
            if (args.size() < 1 || !(args.get(0) instanceof TensorRef)) {
                throw refuse("torch._utils._rebuild_parameter is applied to something other than a tensor");
            }
            return args.get(0);
        }
        throw refuse("REDUCE calls " + PickleMachine.describe(callable) + ", which is not a function a state dict calls");
    }

    @Override
    public Object newObject(Object cls, PyTuple args) {
        if (cls == Callable.ORDERED_DICT && args.size() == 0) {
            return new LinkedHashMap<Object, Object>();
        }
        throw refuse("NEWOBJ creates an instance of " + PickleMachine.describe(cls));
    }

    /** An OrderedDict's state is its attributes (a state dict's {@code _metadata}): kept out, it is not data we use. */
    @Override
    public void build(Object target, Object state) {
        if (target instanceof Map && (state instanceof Map || state == PickleMachine.NONE)) {
            return;
        }
        throw refuse("BUILD sets the state of " + PickleMachine.describe(target) + "; only a dict's attributes may be set");
    }

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private TensorRef rebuildTensor(PyTuple args) {
        if (args.size() != 6 && args.size() != 7) {
            throw refuse("torch._utils._rebuild_tensor_v2 gets " + args.size() + " arguments instead of 6 or 7");
        }
        if (!(args.get(0) instanceof StorageRef)) {
            throw refuse("a tensor is rebuilt from " + PickleMachine.describe(args.get(0)) + " instead of a storage");
        }
        StorageRef storage = (StorageRef) args.get(0);
        long offset = nonNegative(args.get(1), "a tensor's storage offset");
        long[] size = longs(args.get(2), "size");
        long[] stride = longs(args.get(3), "stride");
        if (size.length != stride.length) {
            throw refuse("a tensor in storage '" + storage.key() + "' has " + size.length + " sizes but "
                    + stride.length + " strides");
        }
        return new TensorRef(storage, offset, size, stride);
    }

    private long[] longs(Object o, String what) {
        if (!(o instanceof PyTuple) || ((PyTuple) o).size() > MAX_RANK) {
            throw refuse("a tensor's " + what + " is " + PickleMachine.describe(o) + " instead of a tuple of at most "
                    + MAX_RANK + " integers");
        }
        PyTuple t = (PyTuple) o;
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nonNegative(t.get(i), "a tensor's " + what);
        }
        return out;
    }

    private long nonNegative(Object o, String what) {
        if (o instanceof BigInteger) {
            throw refuse(what + " is " + o + ", beyond any real file");
        }
        if (!(o instanceof Long) || (Long) o < 0) {
            throw refuse(what + " is " + PickleMachine.describe(o) + " instead of a non-negative integer");
        }
        return (Long) o;
    }

    private ModelInputException refuse(String what) {
        return new ModelInputException("Cannot read the PyTorch checkpoint " + source + ": " + what
                + ". Nothing from the file was executed. The file is damaged, hostile, or holds something other"
                + " than a plain state dict; re-export it with torch.save(model.state_dict()) or as model.safetensors.");
    }

    private static String allowedList() {
        StringBuilder b = new StringBuilder();
        for (Callable c : Callable.values()) {
            b.append(c).append(", ");
        }
        return b.append("and the torch storage types").toString();
    }
}
