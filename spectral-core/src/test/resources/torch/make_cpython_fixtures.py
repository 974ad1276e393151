"""Writes the .bin fixtures of the torch reader tests with CPython's own pickler, as an independent check of
the Java test writer. torch itself is not needed: stand-in modules named `torch` and `torch._utils` give
the pickler the same globals, reduce tuples and persistent ids that torch/serialization.py `_save` produces,
and zipfile writes the archive (STORED) under the record prefix `archive/`.

Run from this directory: python3 make_cpython_fixtures.py  (numpy and the standard library only)."""
import collections, io, os, pickle, sys, types, zipfile
import numpy as np

torch = types.ModuleType('torch'); utils = types.ModuleType('torch._utils')
torch._utils = utils
sys.modules['torch'] = torch; sys.modules['torch._utils'] = utils

def _rebuild_tensor_v2(*args):
    raise AssertionError('only pickled, never called')
_rebuild_tensor_v2.__module__ = 'torch._utils'
utils._rebuild_tensor_v2 = _rebuild_tensor_v2

class Storage:
    """A typed storage: dtype, raw little-endian bytes."""
    def __init__(self, raw, numel): self.raw, self.numel = raw, numel
for cls_name in ('FloatStorage', 'HalfStorage', 'BFloat16Storage', 'DoubleStorage', 'LongStorage'):
    cls = type(cls_name, (Storage,), {'__module__': 'torch'})
    setattr(torch, cls_name, cls)

class Tensor:
    def __init__(self, storage, offset, size):
        self.storage, self.offset, self.size = storage, offset, tuple(size)
        stride, s = [], 1
        for d in reversed(self.size): stride.insert(0, s); s *= d
        self.stride = tuple(stride)
    def __reduce_ex__(self, protocol):
        # torch/_tensor.py _reduce_ex_internal for a plain CPU tensor
        return (_rebuild_tensor_v2, (self.storage, self.offset, self.size, self.stride, False, collections.OrderedDict()))

def save(obj, path, prefix='archive', protocol=2):
    """torch/serialization.py _save, with the zip writer replaced by zipfile (STORED)."""
    serialized, id_map = {}, {}
    class P(pickle.Pickler):
        def persistent_id(self, o):
            if isinstance(o, Storage):
                key = id_map.setdefault(id(o), str(len(id_map)))
                serialized[key] = o
                return ('storage', type(o), key, 'cpu', o.numel)
            return None
    buf = io.BytesIO(); P(buf, protocol=protocol).dump(obj)
    with zipfile.ZipFile(path, 'w', compression=zipfile.ZIP_STORED) as z:
        z.writestr(prefix + '/data.pkl', buf.getvalue())
        z.writestr(prefix + '/byteorder', 'little')
        for key, st in serialized.items(): z.writestr(prefix + '/data/' + key, st.raw)
        z.writestr(prefix + '/version', '3\n')

def state_dict(items):
    sd = collections.OrderedDict(items)
    sd._metadata = collections.OrderedDict([('', {'version': 1}), ('layer', {'version': 1})])
    return sd

a = (np.arange(12, dtype=np.float32) * 0.25 - 1).astype('<f4')
fa = torch.FloatStorage(a.tobytes(), 12)
h = np.array([1, -2, 0.5, 65504, 2.0 ** -24], dtype='<f2')
bf_bits = np.array([0x3F80, 0xC0A0, 0x4049, 0x3C00], dtype='<u2')
d = np.array([np.pi, -1e300, 0.1], dtype='<f8')
pos = np.arange(4, dtype='<i8')
tensors = lambda: state_dict([
    ('a', Tensor(fa, 0, [3, 4])),
    ('a_view', Tensor(fa, 4, [2, 4])),               # shares a's storage, storage_offset 4
    ('h', Tensor(torch.HalfStorage(h.tobytes(), 5), 0, [5])),
    ('bf', Tensor(torch.BFloat16Storage(bf_bits.tobytes(), 4), 0, [2, 2])),
    ('d', Tensor(torch.DoubleStorage(d.tobytes(), 3), 0, [3, 1, 1, 1])),
    ('position_ids', Tensor(torch.LongStorage(pos.tobytes(), 4), 0, [1, 4])),
])
save(tensors(), 'cpython-state-dict.bin')
# torch.save(..., pickle_protocol=4): FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL
save(tensors(), 'cpython-state-dict-protocol4.bin', prefix='cpython-state-dict-protocol4', protocol=4)

class Payload:
    def __reduce__(self):
        return (os.system, ('touch spectral-torch-pwned-marker',))
save(state_dict([('a', Tensor(fa, 0, [3, 4])), ('evil', Payload())]), 'cpython-os-system.bin')
print('written')
