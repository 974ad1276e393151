package io.github.spectralcircuits.io.torch;

/** A persistent id {@code ('storage', torch.XStorage, key, location, numel)}: a storage in {@code data/<key>}. */
record StorageRef(StorageType type, String key, String location, long numel) {
}
