package org.bpnn.io.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/** Test helper: splits a model file into its parts and reassembles edited ones with valid checksums. */
final class ModelBytes {
    static final ObjectMapper MAPPER = new ObjectMapper();

    final int version;
    final byte[] header;
    final byte[] data;

    private ModelBytes(int version, byte[] header, byte[] data) {
        this.version = version;
        this.header = header;
        this.data = data;
    }

    static ModelBytes parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int version = b.getInt(8);
        int h = b.getInt(12);
        return new ModelBytes(version, Arrays.copyOfRange(file, 20, 20 + h), Arrays.copyOfRange(file, 20 + h, file.length));
    }

    String headerText() {
        return new String(header, StandardCharsets.UTF_8);
    }

    ObjectNode tree() {
        try {
            return (ObjectNode) MAPPER.readTree(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file with a new header (CRC and length fixed). */
    byte[] withHeader(byte[] newHeader) {
        return assemble(version, newHeader, data);
    }

    byte[] withHeader(String newHeader) {
        return withHeader(newHeader.getBytes(StandardCharsets.UTF_8));
    }

    /** The file with its header tree edited (CRC and length fixed). */
    byte[] withTree(Consumer<ObjectNode> edit) {
        ObjectNode t = tree();
        edit.accept(t);
        try {
            return withHeader(MAPPER.writeValueAsBytes(t));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file with edited data; the header's sha256 (and so the CRC) is updated to match. */
    byte[] withData(Consumer<ByteBuffer> edit) {
        byte[] d = data.clone();
        edit.accept(ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN));
        ObjectNode t = tree();
        ((ObjectNode) t.get("data")).put("sha256", HexFormat.of().formatHex(ModelWriter.sha256().digest(d)));
        try {
            return assemble(version, MAPPER.writeValueAsBytes(t), d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] assemble(int version, byte[] header, byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(header);
        return ByteBuffer.allocate(20 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .put(ModelFile.MAGIC).putInt(version).putInt(header.length).putInt((int) crc.getValue())
                .put(header).put(data).array();
    }
}
