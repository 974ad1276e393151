package io.github.spectralcircuits.io.torch;

/** The arguments of {@code torch._utils._rebuild_tensor_v2}, unchecked: {@link TorchArchive} validates them. */
record TensorRef(StorageRef storage, long storageOffset, long[] size, long[] stride) {
}
