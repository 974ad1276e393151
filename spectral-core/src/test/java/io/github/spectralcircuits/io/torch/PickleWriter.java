package io.github.spectralcircuits.io.torch;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Test-side pickle emitter, written from the pickle protocol 2 opcode table (CPython's
 * Lib/pickletools.py documents it). Like CPython's pickler it memoizes every global, string and
 * non-empty tuple with BINPUT and refers back to repeated globals and equal interned strings with
 * BINGET, so readers see the memo traffic real files have.
 */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Integer> memoByKey = new HashMap<>();
    private int nextMemo;

    PickleWriter op(int opcode) {
        out.write(opcode);
        return this;
    }

    PickleWriter raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    PickleWriter proto(int protocol) {
        return op(0x80).op(protocol);
    }

    PickleWriter mark() {
        return op('(');
    }

    PickleWriter stop() {
        return op('.');
    }

    /** BINPUT (or LONG_BINPUT past 255) of the value on top of the stack; returns its memo index. */
    int memoize() {
        int index = nextMemo++;
        if (index < 256) {
            op('q').op(index);
        } else {
            op('r').raw(le32(index));
        }
        return index;
    }

    PickleWriter get(int index) {
        if (index < 256) {
            return op('h').op(index);
        }
        return op('j').raw(le32(index));
    }

    /** GLOBAL 'module\nname\n', memoized; a repeat becomes BINGET as CPython writes it. */
    PickleWriter global(String module, String name) {
        String key = "global:" + module + " " + name;
        Integer known = memoByKey.get(key);
        if (known != null) {
            return get(known);
        }
        op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        memoByKey.put(key, memoize());
        return this;
    }

    /** BINUNICODE, memoized; with shared=true an equal string written before is referenced with BINGET. */
    PickleWriter string(String s, boolean shared) {
        String key = "str:" + s;
        if (shared && memoByKey.containsKey(key)) {
            return get(memoByKey.get(key));
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X').raw(le32(b.length)).raw(b);
        int index = memoize();
        if (shared) {
            memoByKey.put(key, index);
        }
        return this;
    }

    /** The smallest integer opcode, as CPython's save_long chooses it. */
    PickleWriter integer(long v) {
        if (v >= 0 && v <= 0xFF) {
            return op('K').op((int) v);
        }
        if (v >= 0 && v <= 0xFFFF) {
            return op('M').op((int) (v & 0xFF)).op((int) (v >>> 8));
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return op('J').raw(le32((int) v));
        }
        byte[] be = java.math.BigInteger.valueOf(v).toByteArray();
        op(0x8A).op(be.length);
        for (int i = be.length - 1; i >= 0; i--) {
            op(be[i] & 0xFF);
        }
        return this;
    }

    PickleWriter bool(boolean b) {
        return op(b ? 0x88 : 0x89);
    }

    /** A tuple of integers: EMPTY_TUPLE, TUPLE1..3 or MARK ... TUPLE, memoized unless empty. */
    PickleWriter intTuple(long... values) {
        if (values.length == 0) {
            return op(')');
        }
        if (values.length > 3) {
            mark();
        }
        for (long v : values) {
            integer(v);
        }
        closeTuple(values.length);
        return this;
    }

    /** Closes a tuple whose n items were just written (after a mark() when n > 3). */
    PickleWriter closeTuple(int n) {
        switch (n) {
            case 1:
                op(0x85);
                break;
            case 2:
                op(0x86);
                break;
            case 3:
                op(0x87);
                break;
            default:
                op('t');
        }
        memoize();
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
