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
                if (firstRow < 0 || rowCount < 0 || (long) firstRow + rowCount > rows) {
                    throw new IndexOutOfBoundsException("rows " + firstRow + ".." + (firstRow + rowCount) + " of " + rows);
                }
                read((long) firstRow * cols, (int) ((long) rowCount * cols), dst);
            }
        };
    }

    /** One loop per dtype, so the per-element work is a single mapped read and a widening. */
    private void read(long firstElement, int count, double[] dst) {
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
