package io.github.spectralcircuits.io.torch;

import io.github.spectralcircuits.io.DType;
import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.io.TensorInfo;
import io.github.spectralcircuits.linalg.RowMatrix;

/** One checked, contiguous floating-point tensor of a PyTorch checkpoint: a window onto its storage. */
final class TorchTensor {
    private final TensorInfo info;
    private final StorageData storage;
    private final long firstByte;

    TorchTensor(TensorInfo info, StorageData storage, long firstByte) {
        this.info = info;
        this.storage = storage;
        this.firstByte = firstByte;
    }

    TensorInfo info() {
        return info;
    }

    double[] readDoubles() {
        long count = info.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new ModelInputException("Tensor '" + info.name() + "' in " + info.file() + " has " + count
                    + " elements, too many to read into one array; it can only be read a panel of rows at a time.");
        }
        double[] out = new double[(int) count];
        read(0, out.length, out);
        checkFinite(out, out.length);
        return out;
    }

    RowMatrix rowMatrix() {
        if (info.rank() != 2 || info.dim(0) > Integer.MAX_VALUE || info.dim(1) > Integer.MAX_VALUE) {
            throw new ModelInputException("Tensor '" + info.name() + "' in " + info.file() + " has shape "
                    + info.shapeString() + ", not the two dimensions [rows, cols] of a matrix.");
        }
        int rows = (int) info.dim(0);
        int cols = (int) info.dim(1);
        return new RowMatrix() {
            @Override
            public int rows() {
                return rows;
            }

            @Override
            public int cols() {
                return cols;
            }

            @Override
            public void readRows(int firstRow, int rowCount, double[] dst) {
                RowMatrix.checkPanel(this, firstRow, rowCount, dst);
                int n = (int) ((long) rowCount * cols);
                read((long) firstRow * cols, n, dst);
                checkFinite(dst, n);
            }
        };
    }

    long byteLength() {
        return info.elementCount() * info.dtype().bytes();
    }

    /** CRC32C of the tensor's bytes as stored. */
    long checksum() {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        try {
            storage.region().checksum(firstByte, byteLength(), crc);
        } catch (InternalError fault) {
            throw new ModelInputException(info.file() + " changed while it was being read (tensor '" + info.name()
                    + "': " + fault.getMessage() + "). Do not modify or replace model files during an analysis;"
                    + " run it again once the files are complete.", fault);
        }
        return crc.getValue();
    }

    /** NaN or infinite weights make every spectrum meaningless: name the tensor and count them all. */
    private void checkFinite(double[] values, int n) {
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(values[i])) {
                throw nonFinite();
            }
        }
    }

    private ModelInputException nonFinite() {
        long total = info.elementCount();
        long nan = 0;
        long infinite = 0;
        double[] chunk = new double[(int) Math.min(1 << 16, total)];
        for (long done = 0; done < total; done += chunk.length) {
            int n = (int) Math.min(chunk.length, total - done);
            read(done, n, chunk);
            for (int i = 0; i < n; i++) {
                nan += Double.isNaN(chunk[i]) ? 1 : 0;
                infinite += Double.isInfinite(chunk[i]) ? 1 : 0;
            }
        }
        return new ModelInputException("Tensor '" + info.name() + "' " + info.shapeString() + " in " + info.file()
                + " holds " + (nan + infinite) + " non-finite values (" + nan + " NaN, " + infinite + " infinite) of "
                + total + ". The weights are corrupt or were saved after training diverged; use a checkpoint whose"
                + " weights are all finite.");
    }

    private void read(long firstElement, int count, double[] dst) {
        try {
            decode(firstElement, count, dst);
        } catch (InternalError fault) {
            // how the JVM reports a mapped page that vanished: the file was truncated while in use
            throw new ModelInputException(info.file() + " changed while it was being read (tensor '" + info.name()
                    + "': " + fault.getMessage() + "). Do not modify or replace model files during an analysis;"
                    + " run it again once the files are complete.", fault);
        }
    }

    /** One loop per dtype, so the per-element work is a single mapped read and a widening. */
    private void decode(long firstElement, int count, double[] dst) {
        MappedRegion region = storage.region();
        DType dtype = info.dtype();
        long at = firstByte + firstElement * dtype.bytes();
        switch (dtype) {
            case F32:
                for (int i = 0; i < count; i++, at += 4) {
                    dst[i] = region.getFloat(at);
                }
                break;
            case F64:
                for (int i = 0; i < count; i++, at += 8) {
                    dst[i] = region.getDouble(at);
                }
                break;
            default:
                for (int i = 0; i < count; i++, at += 2) {
                    dst[i] = ElementDecoder.read(region, at, dtype);
                }
        }
    }
}
