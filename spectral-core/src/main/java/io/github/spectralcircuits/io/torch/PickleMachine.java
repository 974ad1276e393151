package io.github.spectralcircuits.io.torch;

import io.github.spectralcircuits.io.ModelInputException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle virtual machine for the subset of opcodes that {@code torch.save} emits for a state
 * dict (protocol 2, plus the few protocol 4 framing opcodes). It builds plain Java data:
 * Long/BigInteger, Double, String, Boolean, {@link #NONE}, {@link PyTuple}, ArrayList and
 * LinkedHashMap. Everything that Python would import or call (GLOBAL, REDUCE, NEWOBJ, BUILD,
 * BINPERSID) is handed to {@link Rules}, which answers with data or refuses: nothing in the file
 * is ever executed, loaded or instantiated reflectively. Written by hand: the Java unpickler
 * library in common use (Pyrolite) turns unknown globals into generic objects instead of refusing
 * them and bounds none of the resources below, and a state dict needs only a few dozen lines of
 * opcodes.
 *
 * <p>Every resource a hostile pickle could inflate is bounded: opcode count, stack depth, mark
 * depth, memo size, string and integer lengths. Running off the end of the data is reported as
 * a truncated pickle.
 */
final class PickleMachine {

    /** Python's None (a Java null could not sit in the collections used here). */
    enum PyNone { NONE }

    static final PyNone NONE = PyNone.NONE;

    /** A Python tuple: immutable, positional. */
    record PyTuple(List<Object> items) {
        PyTuple {
            items = List.copyOf(items);
        }

        int size() {
            return items.size();
        }

        Object get(int i) {
            return items.get(i);
        }
    }

    /** What the file may reach outside plain data; implementations refuse anything unknown. */
    interface Rules {
        /** GLOBAL / STACK_GLOBAL: an allow-listed marker object, or a ModelInputException. */
        Object global(String module, String name);

        Object persistentLoad(Object pid);

        /** REDUCE: callable(*args) for an allow-listed callable, computed as pure data. */
        Object reduce(Object callable, PyTuple args);

        /** NEWOBJ: cls.__new__(cls, *args). */
        Object newObject(Object cls, PyTuple args);

        /** BUILD: target.__setstate__(state); may ignore the state, never runs code. */
        void build(Object target, Object state);
    }

    record Limits(long maxOpcodes, int maxStack, int maxMarks, int maxMemo, int maxString) {
        static final Limits DEFAULT = new Limits(100_000_000L, 1_000_000, 10_000, 4_000_000, 1 << 20);
    }

    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final String source;
    private final Rules rules;
    private final Limits limits;
    private final ByteBuffer in;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final HashMap<Long, Object> memo = new HashMap<>();
    private int opcodeStart;

    private PickleMachine(String source, Rules rules, Limits limits, byte[] data) {
        this.source = source;
        this.rules = rules;
        this.limits = limits;
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Runs the pickle to its STOP opcode and returns the object it leaves.
     *
     * @param source the file and entry, for messages
     */
    static Object load(String source, byte[] data, Rules rules) {
        return load(source, data, rules, Limits.DEFAULT);
    }

    static Object load(String source, byte[] data, Rules rules, Limits limits) {
        return new PickleMachine(source, rules, limits, data).run();
    }

    private Object run() {
        long executed = 0;
        while (true) {
            if (!in.hasRemaining()) {
                throw error("the pickle ends at byte " + in.position() + " without its STOP opcode: the file is truncated");
            }
            if (++executed > limits.maxOpcodes()) {
                throw error("the pickle runs more than " + limits.maxOpcodes() + " opcodes");
            }
            opcodeStart = in.position();
            int op = in.get() & 0xFF;
            switch (op) {
                case 0x80: { // PROTO
                    int protocol = u8();
                    if (protocol < 2 || protocol > 5) {
                        throw error("it declares pickle protocol " + protocol + " (torch.save writes 2)");
                    }
                    break;
                }
                case 0x95: { // FRAME: only a buffering hint for the writer's reader
                    long len = i64();
                    if (len < 0 || len > in.remaining()) {
                        throw error("a FRAME announces " + len + " bytes but only " + in.remaining() + " follow");
                    }
                    break;
                }
                case 'c': { // GLOBAL
                    String module = line();
                    String name = line();
                    push(rules.global(module, name));
                    break;
                }
                case 0x93: { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String) || !(name instanceof String)) {
                        throw error("STACK_GLOBAL needs two strings, found " + describe(module) + " and " + describe(name));
                    }
                    push(rules.global((String) module, (String) name));
                    break;
                }
                case 'q': // BINPUT
                    put(u8());
                    break;
                case 'r': // LONG_BINPUT
                    put(u32());
                    break;
                case 0x94: // MEMOIZE
                    put(memo.size());
                    break;
                case 'h': // BINGET
                    push(get(u8()));
                    break;
                case 'j': // LONG_BINGET
                    push(get(u32()));
                    break;
                case '(': // MARK
                    if (marks.size() >= limits.maxMarks()) {
                        throw error("the pickle nests more than " + limits.maxMarks() + " MARKs");
                    }
                    marks.add(stack.size());
                    push(MARK);
                    break;
                case 't': // TUPLE
                    push(new PyTuple(popToMark()));
                    break;
                case ')': // EMPTY_TUPLE
                    push(new PyTuple(List.of()));
                    break;
                case 0x85: // TUPLE1
                    push(new PyTuple(List.of(pop())));
                    break;
                case 0x86: { // TUPLE2
                    Object b = pop();
                    Object a = pop();
                    push(new PyTuple(List.of(a, b)));
                    break;
                }
                case 0x87: { // TUPLE3
                    Object c = pop();
                    Object b = pop();
                    Object a = pop();
                    push(new PyTuple(List.of(a, b, c)));
                    break;
                }
                case ']': // EMPTY_LIST
                    push(new ArrayList<>());
                    break;
                case '}': // EMPTY_DICT
                    push(new LinkedHashMap<>());
                    break;
                case 's': { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    dictOnTop("SETITEM").put(key(key), value);
                    break;
                }
                case 'u': { // SETITEMS
                    List<Object> items = popToMark();
                    if (items.size() % 2 != 0) {
                        throw error("SETITEMS has an odd number (" + items.size() + ") of keys and values");
                    }
                    Map<Object, Object> dict = dictOnTop("SETITEMS");
                    for (int i = 0; i < items.size(); i += 2) {
                        dict.put(key(items.get(i)), items.get(i + 1));
                    }
                    break;
                }
                case 'a': { // APPEND
                    Object value = pop();
                    listOnTop("APPEND").add(value);
                    break;
                }
                case 'e': { // APPENDS
                    List<Object> items = popToMark();
                    listOnTop("APPENDS").addAll(items);
                    break;
                }
                case 'J': // BININT
                    push((long) i32());
                    break;
                case 'K': // BININT1
                    push((long) u8());
                    break;
                case 'M': // BININT2
                    push((long) u16());
                    break;
                case 0x8A: // LONG1
                    push(long1());
                    break;
                case 'N': // NONE
                    push(NONE);
                    break;
                case 0x88: // NEWTRUE
                    push(Boolean.TRUE);
                    break;
                case 0x89: // NEWFALSE
                    push(Boolean.FALSE);
                    break;
                case 'G': // BINFLOAT, big-endian unlike everything else
                    push(Double.longBitsToDouble(Long.reverseBytes(i64())));
                    break;
                case 'X': // BINUNICODE
                    push(utf8(u32()));
                    break;
                case 0x8C: // SHORT_BINUNICODE
                    push(utf8(u8()));
                    break;
                case 0x8D: { // BINUNICODE8
                    long len = i64();
                    if (len < 0) {
                        throw error("BINUNICODE8 has negative length " + len);
                    }
                    push(utf8(len));
                    break;
                }
                case 'T': { // BINSTRING: a Python 2 str, signed length
                    int len = i32();
                    if (len < 0) {
                        throw error("BINSTRING has negative length " + len);
                    }
                    push(latin1(len));
                    break;
                }
                case 'U': // SHORT_BINSTRING
                    push(latin1(u8()));
                    break;
                case 'Q': // BINPERSID
                    push(rules.persistentLoad(pop()));
                    break;
                case 'R': { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    if (!(args instanceof PyTuple)) {
                        throw error("REDUCE needs a tuple of arguments, found " + describe(args));
                    }
                    push(rules.reduce(callable, (PyTuple) args));
                    break;
                }
                case 0x81: { // NEWOBJ
                    Object args = pop();
                    Object cls = pop();
                    if (!(args instanceof PyTuple)) {
                        throw error("NEWOBJ needs a tuple of arguments, found " + describe(args));
                    }
                    push(rules.newObject(cls, (PyTuple) args));
                    break;
                }
                case 'b': { // BUILD
                    Object state = pop();
                    rules.build(top(), state);
                    break;
                }
                case '.': // STOP
                    return pop();
                default:
                    throw error(String.format("it contains opcode 0x%02x%s, which a PyTorch state dict never uses"
                            + " (only the opcodes torch.save writes are accepted)", op, printable(op)));
            }
        }
    }

    private void push(Object o) {
        if (stack.size() >= limits.maxStack()) {
            throw error("the pickle's stack grows beyond " + limits.maxStack() + " items");
        }
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty()) {
            throw error("an opcode needs a value but the stack is empty");
        }
        Object o = stack.remove(stack.size() - 1);
        if (o == MARK) {
            throw error("an opcode takes a value where a MARK was pushed");
        }
        return o;
    }

    private Object top() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw error("an opcode needs a value but the stack is empty");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popToMark() {
        if (marks.isEmpty()) {
            throw error("an opcode needs a MARK but none was pushed");
        }
        int mark = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        stack.subList(mark, stack.size()).clear();
        for (Object o : items) {
            if (o == MARK) {
                throw error("the MARK stack is inconsistent");
            }
        }
        return items;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dictOnTop(String op) {
        Object target = top();
        if (!(target instanceof Map)) {
            throw error(op + " applies to " + describe(target) + ", not to a dict");
        }
        return (Map<Object, Object>) target;
    }

    @SuppressWarnings("unchecked")
    private List<Object> listOnTop(String op) {
        Object target = top();
        if (!(target instanceof ArrayList)) {
            throw error(op + " applies to " + describe(target) + ", not to a list");
        }
        return (List<Object>) target;
    }

    /** Only scalar keys: a state dict needs no other, and they keep hashing cheap and shallow. */
    private Object key(Object key) {
        if (key instanceof String || key instanceof Long || key instanceof Boolean || key instanceof BigInteger) {
            return key;
        }
        throw error("a dict key is " + describe(key) + " (only strings and integers are accepted as keys)");
    }

    private void put(long index) {
        if (!memo.containsKey(index) && memo.size() >= limits.maxMemo()) {
            throw error("the pickle memoizes more than " + limits.maxMemo() + " objects");
        }
        memo.put(index, top());
    }

    private Object get(long index) {
        Object o = memo.get(index);
        if (o == null) {
            throw error("it refers to memo entry " + index + ", which was never stored");
        }
        return o;
    }

    private int u8() {
        need(1);
        return in.get() & 0xFF;
    }

    private int u16() {
        need(2);
        return in.getShort() & 0xFFFF;
    }

    private int i32() {
        need(4);
        return in.getInt();
    }

    private long u32() {
        return i32() & 0xFFFFFFFFL;
    }

    private long i64() {
        need(8);
        return in.getLong();
    }

    private void need(int bytes) {
        if (in.remaining() < bytes) {
            throw truncated();
        }
    }

    private Object long1() {
        int n = u8();
        if (n > 32) {
            throw error("an integer of " + n + " bytes is far larger than any tensor size or offset");
        }
        byte[] le = bytes(n);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        BigInteger value = new BigInteger(be);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private byte[] bytes(long len) {
        if (len > limits.maxString()) {
            throw error("a string of " + len + " bytes is longer than the " + limits.maxString() + " accepted");
        }
        if (len > in.remaining()) {
            throw truncated();
        }
        byte[] b = new byte[(int) len];
        in.get(b);
        return b;
    }

    private String utf8(long len) {
        byte[] b = bytes(len);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw error("a string is not valid UTF-8");
        }
    }

    private String latin1(long len) {
        return new String(bytes(len), StandardCharsets.ISO_8859_1);
    }

    /** GLOBAL's operands: newline-terminated ASCII identifiers, short in any real file. */
    private String line() {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = u8();
            if (c == '\n') {
                return b.toString();
            }
            if (c < 0x20 || c > 0x7E || b.length() >= 256) {
                throw error("GLOBAL has a malformed module or name");
            }
            b.append((char) c);
        }
    }

    private ModelInputException truncated() {
        return error("the pickle ends in the middle of an opcode at byte " + opcodeStart + ": the file is truncated");
    }

    private ModelInputException error(String what) {
        return new ModelInputException("Cannot read the PyTorch checkpoint " + source + ": " + what
                + " (pickle byte " + opcodeStart + "). Nothing from the file was executed. Re-export the weights"
                + " with torch.save(model.state_dict()) or, better, as model.safetensors.");
    }

    private static String printable(int op) {
        return op >= 0x20 && op < 0x7F ? " ('" + (char) op + "')" : "";
    }

    /** A short description of a value for messages: its kind, never its (possibly huge) content. */
    static String describe(Object o) {
        if (o instanceof String) {
            String s = (String) o;
            return "the string '" + Printable.of(s.length() > 60 ? s.substring(0, 60) + "..." : s) + "'";
        }
        if (o instanceof Long || o instanceof BigInteger) {
            return "the integer " + o;
        }
        if (o instanceof PyTuple) {
            return "a tuple of " + ((PyTuple) o).size();
        }
        if (o instanceof List) {
            return "a list";
        }
        if (o instanceof Map) {
            return "a dict";
        }
        if (o == NONE) {
            return "None";
        }
        if (o instanceof Boolean || o instanceof Double) {
            return "the value " + o;
        }
        return o == null ? "nothing" : o.toString();
    }
}
