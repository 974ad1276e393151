package io.github.spectralcircuits.io.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.io.torch.PickleMachine.Limits;
import io.github.spectralcircuits.io.torch.PickleMachine.PyTuple;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PickleMachineTest {
    private static final Limits SMALL = new Limits(1000, 50, 5, 20, 64);

    private static Object run(byte[] pickle) {
        return PickleMachine.load("test.bin", pickle, new TorchPickleRules("test.bin"));
    }

    private static Object run(byte[] pickle, Limits limits) {
        return PickleMachine.load("test.bin", pickle, new TorchPickleRules("test.bin"), limits);
    }

    private static void assertRefused(byte[] pickle, Limits limits, String... parts) {
        ModelInputException e = assertThrows(ModelInputException.class, () -> run(pickle, limits));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
        assertTrue(e.getMessage().contains("test.bin"), e.getMessage());
    }

    @Test
    void scalarsContainersAndMemoBuildPlainData() {
        PickleWriter p = new PickleWriter().proto(2).op('}');
        p.memoize();
        p.mark();
        p.string("ints", true).intTuple(0, 255, 256, 65535, 65536, -1, Integer.MAX_VALUE, 1L << 40, Long.MIN_VALUE);
        p.string("flags", false).op('N').op(0x88).op(0x89).closeTuple(3);
        // BINFLOAT is big-endian: 1.5 = 0x3FF8000000000000
        p.string("float", false).op('G').raw(new byte[] {0x3F, (byte) 0xF8, 0, 0, 0, 0, 0, 0});
        p.string("list", false).op(']');
        p.memoize();
        p.integer(7).op('a').mark().integer(8).integer(9).op('e');
        p.string("again", false).get(0); // BINGET of the dict itself is legal data (a self reference)
        p.string("short", false).op('U').op(2).raw(new byte[] {'h', 'i'});
        p.string("bigint", false).op(0x8A).op(9).raw(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 1});
        p.op('u').stop();
        @SuppressWarnings("unchecked")
        Map<Object, Object> d = (Map<Object, Object>) run(p.bytes());
        assertEquals(new PyTuple(List.of(0L, 255L, 256L, 65535L, 65536L, -1L, (long) Integer.MAX_VALUE, 1L << 40,
                Long.MIN_VALUE)), d.get("ints"));
        assertEquals(new PyTuple(List.of(PickleMachine.NONE, true, false)), d.get("flags"));
        assertEquals(1.5, d.get("float"));
        assertEquals(List.of(7L, 8L, 9L), d.get("list"));
        assertSame(d, d.get("again"));
        assertEquals("hi", d.get("short"));
        assertEquals(BigInteger.ONE.shiftLeft(64), d.get("bigint"));
    }

    @Test
    void protocolFourFramingIsAccepted() {
        PickleWriter p = new PickleWriter().proto(4).op(0x95).raw(new byte[] {3, 0, 0, 0, 0, 0, 0, 0});
        p.op(0x8C).op(1).raw(new byte[] {'x'}).op(0x94).stop();
        assertEquals("x", run(p.bytes()));
    }

    @Test
    void resourceLimitsStopHostileBlowUps() {
        PickleWriter ops = new PickleWriter().proto(2).op(']');
        for (int i = 0; i < 600; i++) {
            ops.op('N').op('a');
        }
        assertRefused(ops.stop().bytes(), SMALL, "more than 1000 opcodes");
        PickleWriter deep = new PickleWriter().proto(2);
        for (int i = 0; i < 60; i++) {
            deep.op('N');
        }
        assertRefused(deep.stop().bytes(), SMALL, "stack grows beyond 50");
        PickleWriter marks = new PickleWriter().proto(2);
        for (int i = 0; i < 6; i++) {
            marks.mark();
        }
        assertRefused(marks.stop().bytes(), SMALL, "more than 5 MARKs");
        PickleWriter memo = new PickleWriter().proto(2).op('N');
        for (int i = 0; i < 21; i++) {
            memo.memoize();
        }
        assertRefused(memo.stop().bytes(), SMALL, "memoizes more than 20");
        assertRefused(new PickleWriter().proto(2).string("x".repeat(65), false).stop().bytes(), SMALL,
                "65 bytes is longer than the 64 accepted");
        // a length field claiming 4 GB is refused before anything is allocated
        assertRefused(new PickleWriter().proto(2).op('X').raw(new byte[] {-1, -1, -1, -1}).bytes(), Limits.DEFAULT,
                "4294967295 bytes");
        assertRefused(new PickleWriter().proto(2).op('T').raw(new byte[] {0, 0, 0, -128}).bytes(), Limits.DEFAULT,
                "negative length");
    }

    @Test
    void malformedPicklesGiveClearErrors() {
        Limits d = Limits.DEFAULT;
        assertRefused(new PickleWriter().proto(2).get(3).stop().bytes(), d, "memo entry 3");
        assertRefused(new PickleWriter().proto(2).op(0x86).stop().bytes(), d, "stack is empty");
        assertRefused(new PickleWriter().proto(2).op('t').stop().bytes(), d, "needs a MARK");
        assertRefused(new PickleWriter().proto(2).op('}').mark().op('N').op('u').stop().bytes(), d, "odd number");
        assertRefused(new PickleWriter().proto(2).op('}').op(']').op('N').op('s').stop().bytes(), d, "a list",
                "only strings and integers");
        assertRefused(new PickleWriter().proto(2).op('N').op('N').op('N').op('s').stop().bytes(), d, "SETITEM applies to None");
        assertRefused(new PickleWriter().proto(9).stop().bytes(), d, "protocol 9");
        assertRefused(new PickleWriter().proto(2).op('c').raw("os\nsys\ttem\n".getBytes()).bytes(), d, "malformed");
        assertRefused(new PickleWriter().proto(2).mark().op(0x85).stop().bytes(), d, "where a MARK was pushed");
        assertRefused(new PickleWriter().proto(2).op('X').raw(new byte[] {2, 0, 0, 0, (byte) 0xC3, 0x28}).stop().bytes(),
                d, "not valid UTF-8");
        assertRefused(new PickleWriter().proto(2).op(0x8A).op(40).bytes(), d, "40 bytes");
    }

    @Test
    void allowListedCallablesAreOnlyAppliedAsDataConstructors() {
        Limits d = Limits.DEFAULT;
        // a storage class is allowed as a name but never called
        assertRefused(new PickleWriter().proto(2).global("torch", "FloatStorage").op(')').op('R').stop().bytes(), d,
                "REDUCE calls torch.FloatStorage");
        assertRefused(new PickleWriter().proto(2).global("collections", "OrderedDict").integer(1).closeTuple(1)
                .op('R').stop().bytes(), d, "OrderedDict is called with arguments");
        assertRefused(new PickleWriter().proto(2).global("torch._utils", "_rebuild_tensor_v2").integer(1).closeTuple(1)
                .op('R').stop().bytes(), d, "1 arguments instead of 6 or 7");
        assertRefused(new PickleWriter().proto(2).global("torch", "HalfStorage").op(')').op(0x81).stop().bytes(), d,
                "NEWOBJ");
        assertRefused(new PickleWriter().proto(2).op(']').op('}').op('b').stop().bytes(), d, "BUILD sets the state of a list");
        assertRefused(new PickleWriter().proto(2).string("x", false).op('Q').stop().bytes(), d, "persistent id");
        assertRefused(new PickleWriter().proto(2).integer(4).integer(5).op('R').stop().bytes(), d, "REDUCE needs a tuple");
        @SuppressWarnings("unchecked")
        Map<Object, Object> od = (Map<Object, Object>) run(new PickleWriter().proto(2).global("collections", "OrderedDict")
                .op(')').op(0x81).stop().bytes());
        assertTrue(od.isEmpty());
    }

    @Test
    void storagesDeclaredTwiceMustAgree() {
        PickleWriter p = new PickleWriter().proto(2).mark();
        p.mark().string("storage", true).global("torch", "FloatStorage").string("0", true).string("cpu", true)
                .integer(4).closeTuple(5).op('Q');
        p.mark().string("storage", true).global("torch", "HalfStorage").string("0", true).string("cpu", true)
                .integer(4).closeTuple(5).op('Q');
        p.op('t').stop();
        assertRefused(p.bytes(), Limits.DEFAULT, "storage '0' is declared twice");
    }
}
