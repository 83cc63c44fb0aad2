/**
 * bpnn model files: one file holding everything needed to predict (architecture, weights and
 * metadata), written atomically and loaded safely from untrusted sources. Entry point:
 * {@link org.bpnn.io.model.ModelFile}.
 *
 * <h2>Layout (format version 1)</h2>
 * <pre>
 *   offset  size  content
 *   0       8     magic 89 42 50 4E 0D 0A 1A 0A  (0x89 "BPN" CR LF ^Z LF)
 *   8       4     format version, u32 little-endian (1); offsets 0..11 never change between versions
 *   12      4     header length H in bytes, u32 little-endian
 *   16      4     CRC-32C of the header bytes, u32 little-endian
 *   20      H     header: UTF-8 JSON, pretty-printed, one object (below)
 *   20+H    D     data: the tensors listed in the header, in order, each row-major float32
 *                 little-endian, back to back; D = 4 * (total floats); nothing follows
 * </pre>
 * A file is never compressed, and a compressed one is not read: a gzip-compressed model (first
 * bytes 1F 8B) is refused at byte 0 with a message to decompress it first.
 * The header:
 * <pre>{@code
 * { "format": "bpnn-model", "version": 1,
 *   "architecture": { "input_size": 4,
 *       "layers": [ { "type": "dense", "units": 5,
 *                     "activation": { "name": "leaky_relu", "parameter": 0.01 },
 *                     "initializer": "he_normal" },
 *                   { "type": "dropout", "rate": 0.25 }, ... ],
 *       "loss": { "name": "huber", "parameter": 1.0 } },
 *   "normaliser": { "kind": "standardise", "features": 4 },          (only when there is one)
 *   "target_normaliser": { "kind": "standardise", "features": 3 },   (only when there is one)
 *   "feature_names": [ "age", "income", "rooms", "area" ],            (only when there are some)
 *   "class_names": [ "setosa", "versicolor", "virginica" ],           (only for a classifier with some)
 *   "target_names": [ "price", "days_on_market", "discount" ],       (only for a regression with some)
 *   "threshold": 0.02,                                                (only for a two-class model given one)
 *   "csv_dialect": { "delimiter": ";", "decimal_separator": "," },   (only when not ',' and '.')
 *   "metadata": { "library_version": "0.1.0", "created": "2026-11-28T22:00:00Z",
 *                 "backend": "scalar", "seed": 42, "training": { "epochs": 20, ... } },
 *   "tensors": [ { "name": "layers[0].weight", "shape": [5, 4] },
 *                { "name": "layers[0].bias",   "shape": [1, 5] }, ...,
 *                { "name": "normaliser.center", "shape": [1, 4] },
 *                { "name": "normaliser.scale",  "shape": [1, 4] },
 *                { "name": "target_normaliser.center", "shape": [1, 3] },
 *                { "name": "target_normaliser.scale",  "shape": [1, 3] } ],
 *   "data": { "dtype": "float32", "byte_order": "little_endian", "bytes": 140,
 *             "sha256": "<64 hex digits over the D data bytes>" } }
 * }</pre>
 * The fields, all required unless marked optional; no other field is allowed:
 * <ul>
 *   <li>{@code architecture.layers[].type}: {@code "dense"} (with {@code units}, {@code activation},
 *   and optionally {@code initializer}) or {@code "dropout"} (with {@code rate}, a number whose
 *   nearest float is in [0, 1)). The layer keeps that float rate and a scale 1 / (1 - rate) rounded
 *   from the double it was built with, so {@code rate} is read as a double and given to
 *   {@link org.bpnn.nn.Network.Builder#dropout}: it is the float rate's shortest decimal when that
 *   rebuilds the same scale (e.g. 0.45), else a longer decimal that does, still rounding to the float
 *   rate (written since 2026-11-30 within version 1: a reader from before reads the same float rate,
 *   and files from before load as before, their decimal read as a double).</li>
 *   <li>{@code activation.name}: {@code identity, sigmoid, tanh, relu, leaky_relu, softmax};
 *   {@code activation.parameter}: always present, the leaky slope for {@code leaky_relu}, else 0.</li>
 *   <li>{@code loss.name}: {@code mse, mae, huber, binary_cross_entropy, binary_cross_entropy_logits,
 *   categorical_cross_entropy, categorical_cross_entropy_logits}; {@code loss.parameter}: always
 *   present, Huber's delta, else 0.</li>
 *   <li>{@code initializer} (optional; how the layer was initialised, for the record):
 *   {@code xavier_uniform, xavier_normal, he_uniform, he_normal, zeros, custom}.</li>
 *   <li>{@code normaliser} (optional): {@code kind} {@code "standardise"} or {@code "min_max"} and
 *   {@code features} = {@code input_size}; its map is x' = (x - center) / scale per feature, every
 *   center finite and every scale finite and at least Float.MIN_NORMAL.</li>
 *   <li>{@code target_normaliser} (optional; added within version 1, so a reader from before it
 *   refuses such a file as having an unknown field): the same, with {@code features} = the network's
 *   output size; predictions are mapped back through y = y' * scale + center. Only with a
 *   regression loss (mse, mae, huber): a file that pairs one with a classification loss is refused.</li>
 *   <li>{@code feature_names} (optional; added within version 1 like {@code target_normaliser}): one
 *   string per input, in input order: none empty, none with surrounding whitespace (as
 *   {@code String.strip} counts it), none starting and ending with {@code "} (a CSV name that kept its
 *   quotes: a file holding one is refused on load, as CsvReader refuses such a header), no two alike ({@link org.bpnn.io.model.SavedModel#withFeatureNames}).</li>
 *   <li>{@code class_names} (optional, the same way): one string per class (the outputs, 2 for one
 *   output), in class-index order, under the same rules, only with a classification loss
 *   ({@link org.bpnn.io.model.SavedModel#withClassNames}).</li>
 *   <li>{@code target_names} (optional, the same way; added 2026-11-30 within version 1, so a reader
 *   from before refuses such a file as having an unknown field, as one from before class names refuses those;
 *   files without it are unchanged and load as before): one string per output, in output order, under
 *   the same rules, only with a regression loss (mse, mae, huber: a classifier's outputs are named by
 *   {@code class_names}) ({@link org.bpnn.io.model.SavedModel#withTargetNames}).</li>
 *   <li>{@code threshold} (optional; added 2026-11-30 within version 1, so a reader from before
 *   refuses such a file as having an unknown field; files without it are unchanged and load as
 *   before): a number, the float probability from which a sample is class 1, strictly between 0
 *   and 1, only for a network with one sigmoid output (a sigmoid output layer, or a binary
 *   cross-entropy on logits) or two softmax outputs (a softmax output layer, or a categorical
 *   cross-entropy on logits; the probability of class 1 is then column 1 of their softmax), the rule
 *   of {@link org.bpnn.nn.OutputClass#takesThreshold}, checked once the network is built
 *   ({@link org.bpnn.io.model.SavedModel#withThreshold}); without it the default rule (0.5 for one
 *   output, the argmax of two).</li>
 *   <li>{@code csv_dialect} (optional; added 2026-11-30 within version 1, so a reader from before
 *   refuses such a file as having an unknown field; it is written only for a dialect other than the
 *   default ',' and '.', so a model trained on a default CSV, or on none, is unchanged and loads as
 *   before): the {@code delimiter} and {@code decimal_separator} of the CSV the model was trained on,
 *   each a string of one character: a delimiter that is not a line break nor {@code "}, a decimal
 *   separator {@code "."} or {@code ","} (the two may be alike: quoted decimal commas under a ','
 *   delimiter, which CsvReader reads with a header line) ({@link org.bpnn.io.model.SavedModel#withCsvDialect},
 *   {@link org.bpnn.io.model.CsvDialect}). It changes no prediction: {@code ./bpnn predict} reads a CSV
 *   with it when its flags are not given.</li>
 *   <li>{@code metadata}: {@code library_version}, {@code created} (ISO-8601 instant),
 *   {@code backend}, {@code seed} (a long) and {@code training} (an object, possibly empty, whose
 *   values are strings, booleans or numbers).</li>
 *   <li>{@code checkpoint} (optional; only in a checkpoint file): the training state, whose fields and
 *   tensors {@link org.bpnn.io.model.CheckpointFile} specifies; a model load reads and checks it, then
 *   drops it.</li>
 *   <li>{@code tensors}: exactly the model's tensors in the order shown (in a checkpoint, followed
 *   by the checkpoint's), each with its shape;
 *   {@code data.sha256}: the SHA-256 of the data bytes as 64 lower-case hex digits.</li>
 * </ul>
 * Layer weights are W: (out, in) and b: (1, out), exactly as {@link org.bpnn.nn.Dense} holds them;
 * a layer's tensors are named by its index in "layers" (dropout layers have none). The normaliser's
 * fitted centers and scales are tensors too, so they are as exact and as checked as the weights.
 * Names are a closed set of tags (layer types, activations, losses, initialisers): a file never
 * names a Java class. Activation and loss parameters are written in shortest round-trip decimal
 * form and read back with one correctly rounded conversion (to a float32 for an activation's, as
 * the layer holds it; to a float64 for a loss's, as Huber's delta is a double), so they too are
 * bit-exact.
 *
 * <h2>Predicting from a file</h2>
 * What the file means, for a reader in another language ({@code bpnn-io/tools/bpnn_model.py} is one,
 * in numpy, tested against this library): for one sample x (input_size floats), {@code x = (x - normaliser.center) / normaliser.scale}
 * when there is a normaliser; then each layer in order: a dense layer computes
 * {@code x = f(W x + b)} with its {@code weight} W (units, previous width) and {@code bias} b, where f
 * is its activation ({@code identity} z, {@code sigmoid} 1 / (1 + e^-z), {@code tanh}, {@code relu}
 * max(0, z), {@code leaky_relu} z for z &gt; 0 else parameter * z, {@code softmax} over the layer's
 * outputs); a dropout layer is the identity (it only drops units while training); then
 * {@code y = x * target_normaliser.scale + target_normaliser.center} when there is a target
 * normaliser. The result is what {@link org.bpnn.io.model.SavedModel#predict} returns, computed in
 * float32 (a float64 reader agrees to about 1e-6 relative). With a loss on logits
 * ({@code binary_cross_entropy_logits}, {@code categorical_cross_entropy_logits}) the output layer is
 * the identity and the outputs are logits: the class probabilities are their sigmoid, or the softmax
 * of each row, as {@link org.bpnn.io.model.SavedModel#predictProbabilities} gives them.
 *
 * <h2>Why a binary data section after a JSON header (not base64 inside the JSON)</h2>
 * <ul>
 *   <li><b>Size:</b> base64 adds a third: a 784-256-128-10 network (235,146 floats, 0.94 MB raw)
 *       would take 1.25 MB; here the file is the raw 0.94 MB plus a header of about 2 KB (2,048
 *       bytes for the main job's model, with its normaliser and class names).</li>
 *   <li><b>Load speed and memory:</b> the data section is read in 64 KiB chunks straight into the
 *       layers' own float arrays (hashing each chunk on the way), one pass, no intermediate
 *       strings. Base64 would need the whole text as a Java String (2 bytes per char), a decoded
 *       byte[] and then the floats: about 4x the memory and two extra passes.</li>
 *   <li><b>Safety:</b> the JSON parser never sees the weights, so its string-length and
 *       document-length constraints can stay tight (64 KiB strings, 1 MiB header) instead of being
 *       raised to the size of the largest model.</li>
 *   <li><b>Readability is kept:</b> the header is plain JSON at a fixed offset;
 *       {@code head -c 4096 model.bpnn | tail -c +21} prints a header of up to 4,076 bytes,
 *       followed by the first data bytes.</li>
 * </ul>
 *
 * <h2>Integrity and validation</h2>
 * The CRC-32C guards the header against accidental corruption (a one-bit flip can turn a leaky
 * slope of 0.01 into 0.05 while keeping the JSON valid); the SHA-256 in the header covers the data
 * bytes. On load, every size is checked against {@link org.bpnn.io.model.ModelFile.Limits} in
 * {@code long} arithmetic and the data length against the real file length before anything is
 * allocated; the tensor list is cross-checked against the architecture; NaN or infinite values,
 * unknown fields and trailing bytes are refused. Every content problem ends in a
 * {@link org.bpnn.io.model.ModelFormatException} naming a JSON path or byte offset.
 *
 * <h2>Versioning</h2>
 * The version at offset 8 is raised for any change a version-1 reader could misread; readers
 * refuse newer versions with a message saying to upgrade, rather than guess.
 */
package org.bpnn.io.model;
