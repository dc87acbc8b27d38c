package org.volseg.core.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.volseg.core.io.NiftiFiles;

/**
 * Reads the three ways users describe a dataset: files in a folder named by a pattern, a CSV manifest, and a
 * Medical Segmentation Decathlon {@code dataset.json}. A case without a label file is kept as unlabeled (for
 * semi-supervised training and for prediction).
 */
public final class DatasetReaders {

    private static final Pattern TOKEN = Pattern.compile("\\{(id|channel)}");

    private DatasetReaders() {
    }

    /**
     * Files below {@code root} whose relative path matches {@code imagePattern}, in which {@code {id}} stands for
     * the case id and an optional {@code {channel}} for a channel number (nnU-Net's
     * {@code imagesTr/{id}_{channel}.nii.gz}); labels at {@code labelPattern} with the same {@code {id}}, or none
     * when it is blank.
     */
    public static Dataset folder(Path root, String imagePattern, String labelPattern) throws IOException {
        if (!imagePattern.contains("{id}")) {
            throw new DatasetFormatException(root, "image pattern", "'" + imagePattern + "' has no {id}");
        }
        Pattern regex = toRegex(imagePattern);
        Map<String, TreeMap<Integer, Path>> channels = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(root, "folder", "does not exist", e);
        }
        for (Path file : files) {
            Matcher m = regex.matcher(root.relativize(file).toString().replace('\\', '/'));
            if (m.matches()) {
                int channel = imagePattern.contains("{channel}") ? Integer.parseInt(m.group("channel")) : 0;
                channels.computeIfAbsent(m.group("id"), id -> new TreeMap<>()).put(channel, file);
            }
        }
        if (channels.isEmpty()) {
            throw new DatasetFormatException(root, "image pattern", "no file below the folder matches '"
                    + imagePattern + "'");
        }
        List<Case> cases = new ArrayList<>();
        int expectedChannels = channels.values().iterator().next().size();
        for (Map.Entry<String, TreeMap<Integer, Path>> entry : channels.entrySet()) {
            String id = entry.getKey();
            if (entry.getValue().size() != expectedChannels) {
                throw new DatasetFormatException(root, "image pattern", "case " + id + " has "
                        + entry.getValue().size() + " channel file(s), the first case " + expectedChannels);
            }
            Path label = null;
            if (labelPattern != null && !labelPattern.isBlank()) {
                Path candidate = root.resolve(labelPattern.replace("{id}", id));
                label = Files.isRegularFile(candidate) ? candidate : null;
            }
            cases.add(new Case(id, new ArrayList<>(entry.getValue().values()), label));
        }
        return new Dataset(root.getFileName().toString(), cases, Map.of(), Map.of());
    }

    private static Pattern toRegex(String pattern) {
        StringBuilder regex = new StringBuilder();
        Matcher m = TOKEN.matcher(pattern);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(pattern.substring(last, m.start())));
            regex.append(m.group(1).equals("id") ? "(?<id>[^/]+?)" : "(?<channel>\\d+)");
            last = m.end();
        }
        regex.append(Pattern.quote(pattern.substring(last)));
        return Pattern.compile(regex.toString());
    }

    /**
     * A CSV manifest with a header row: {@code id} (or {@code case_id}); the image channels as {@code image}
     * (several paths separated by ';') or {@code image_0}, {@code image_1}, ...; and an optional {@code label}
     * (an empty cell = unlabeled). Relative paths are relative to the manifest's folder.
     */
    public static Dataset csv(Path manifest) throws IOException {
        List<List<String>> rows;
        try {
            rows = Csv.parse(Files.readString(manifest, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(manifest, "file", "does not exist", e);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new DatasetFormatException(manifest, "encoding", "is not UTF-8 text; save the manifest as UTF-8 "
                    + "CSV", e);
        }
        if (rows.isEmpty()) {
            throw new DatasetFormatException(manifest, "header", "the manifest is empty");
        }
        List<String> header = rows.get(0).stream().map(String::trim).toList();
        int idColumn = header.indexOf("id") >= 0 ? header.indexOf("id") : header.indexOf("case_id");
        int labelColumn = header.indexOf("label");
        List<Integer> imageColumns = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).matches("image(_\\d{1,6})?")) {
                imageColumns.add(i);
            }
        }
        imageColumns.sort(Comparator.comparingInt(i -> header.get(i).equals("image") ? -1
                : Integer.parseInt(header.get(i).substring(6))));
        if (idColumn < 0 || imageColumns.isEmpty()) {
            throw new DatasetFormatException(manifest, "header", "is " + header + "; expected an 'id' column and "
                    + "an 'image' (or image_0, image_1, ...) column, and optionally 'label'");
        }
        Path base = manifest.toAbsolutePath().getParent();
        List<Case> cases = new ArrayList<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue;
            }
            String where = "row " + (r + 1);
            if (row.size() < header.size()) {
                throw new DatasetFormatException(manifest, where, "has " + row.size() + " cells, the header "
                        + header.size());
            }
            List<Path> images = new ArrayList<>();
            for (int column : imageColumns) {
                for (String part : row.get(column).split(";")) {
                    if (!part.isBlank()) {
                        images.add(existing(manifest, where + " column " + header.get(column), base, part.trim()));
                    }
                }
            }
            if (images.isEmpty()) {
                throw new DatasetFormatException(manifest, where, "names no image");
            }
            String labelCell = labelColumn >= 0 ? row.get(labelColumn).trim() : "";
            Path label = labelCell.isEmpty() ? null : existing(manifest, where + " column label", base, labelCell);
            cases.add(new Case(row.get(idColumn).trim(), images, label));
        }
        return new Dataset(NiftiFiles.stem(manifest), cases, Map.of(), Map.of());
    }

    /**
     * A Medical Segmentation Decathlon {@code dataset.json}: "training" (image and label, one 4D image per case)
     * and "test" (images only) cases, "modality" channel names and "labels" names (either
     * {@code {"1": "edema"}} as in the Decathlon or {@code {"edema": 1}} as in nnU-Net v2).
     */
    public static Dataset msd(Path datasetJson) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(datasetJson.toFile());
        } catch (JsonProcessingException e) {
            throw new DatasetFormatException(datasetJson, "json", "is not valid JSON (line "
                    + e.getLocation().getLineNr() + ": " + e.getOriginalMessage() + ")", e);
        } catch (java.io.FileNotFoundException e) {
            throw new DatasetFormatException(datasetJson, "file", "does not exist", e);
        } catch (java.io.CharConversionException e) {
            throw new DatasetFormatException(datasetJson, "encoding", "is not JSON text (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new DatasetFormatException(datasetJson, "json", "is not a JSON object");
        }
        Path base = datasetJson.toAbsolutePath().getParent();
        List<Case> cases = new ArrayList<>();
        JsonNode training = root.path("training");
        if (!training.isArray()) {
            throw new DatasetFormatException(datasetJson, "training", "is missing or not a list");
        }
        for (int i = 0; i < training.size(); i++) {
            String where = "training[" + i + "]";
            Path image = existing(datasetJson, where + ".image", base, text(datasetJson, training.get(i),
                    "image", where));
            Path label = existing(datasetJson, where + ".label", base, text(datasetJson, training.get(i), "label",
                    where));
            cases.add(new Case(NiftiFiles.stem(image), List.of(image), label));
        }
        JsonNode test = root.path("test");
        for (int i = 0; test.isArray() && i < test.size(); i++) {
            JsonNode entry = test.get(i);
            String where = "test[" + i + "]";
            String path = entry.isTextual() ? entry.asText() : text(datasetJson, entry, "image", where);
            Path image = existing(datasetJson, where, base, path);
            cases.add(new Case(NiftiFiles.stem(image), List.of(image), null));
        }
        return new Dataset(root.path("name").asText(NiftiFiles.stem(base)), cases,
                numbered(datasetJson, root.path("modality").isObject() ? root.path("modality")
                        : root.path("channel_names"), "modality"),
                numbered(datasetJson, root.path("labels"), "labels"));
    }

    private static String text(Path json, JsonNode node, String field, String where) throws DatasetFormatException {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new DatasetFormatException(json, where + "." + field, "is missing or not a path");
        }
        return value.asText();
    }

    /** {"0": "FLAIR"} or {"FLAIR": 0} as index → name. */
    private static Map<Integer, String> numbered(Path json, JsonNode object, String field)
            throws DatasetFormatException {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().matches("\\d+") && e.getValue().isTextual()) {
                out.put(Integer.parseInt(e.getKey()), e.getValue().asText());
            } else if (e.getValue().isInt()) {
                out.put(e.getValue().asInt(), e.getKey());
            } else {
                throw new DatasetFormatException(json, field + "." + e.getKey(), "expected \"<number>\": \"<name>\" "
                        + "or \"<name>\": <number>");
            }
        }
        return out;
    }

    private static Path existing(Path manifest, String field, Path base, String path) throws DatasetFormatException {
        Path file;
        try {
            file = base.resolve(path).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new DatasetFormatException(manifest, field, "names '" + path.replace("\0", "\\0")
                    + "', which is not a valid path (" + e.getReason() + ")", e);
        }
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(manifest, field, "names " + path + ", which does not exist");
        }
        return file;
    }
}
