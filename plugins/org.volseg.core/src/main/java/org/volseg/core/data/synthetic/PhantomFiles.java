package org.volseg.core.data.synthetic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.volume.Volume;

/**
 * Writes phantoms as BraTS lays out its cases: a folder per case holding one 3D NIfTI per channel and the
 * segmentation, {@code <id>/<id>_t1.nii.gz}, {@code _t1ce}, {@code _t2}, {@code _flair} (float32) and
 * {@code <id>/<id>_seg.nii.gz} (uint8). One file per channel rather than one 4D file, because that is what BraTS
 * and the tools around it (nnU-Net's BraTS conversion, MONAI's BraTS loaders, viewers) expect.
 */
public final class PhantomFiles {

    /** The segmentation's file-name suffix. */
    public static final String LABEL_SUFFIX = "seg";
    public static final String EXTENSION = ".nii.gz";

    private PhantomFiles() {
    }

    /**
     * Writes a case into {@code folder/<id>/} (created as needed), with {@link NiftiWriter.Options#defaults()}.
     *
     * @return the case folder
     */
    public static Path write(Phantom phantom, Path folder) throws IOException {
        return write(phantom, folder, NiftiWriter.Options.defaults());
    }

    /** Writes a case into {@code folder/<id>/} with the given options; returns the case folder. */
    public static Path write(Phantom phantom, Path folder, NiftiWriter.Options options) throws IOException {
        Path caseFolder = folder.resolve(phantom.id());
        Files.createDirectories(caseFolder);
        Volume image = phantom.image();
        for (int c = 0; c < image.channelCount(); c++) {
            Volume channel = new Volume(image.geometry(), image.channel(c));
            NiftiWriter.write(file(caseFolder, phantom.id(), phantom.channelNames().get(c)), channel, options);
        }
        NiftiWriter.writeLabels(labelFile(caseFolder, phantom.id()), phantom.labels(), options);
        return caseFolder;
    }

    /** A channel's file in a case folder: {@code caseFolder/<id>_<suffix>.nii.gz}. */
    public static Path channelFile(Path caseFolder, String id, MrContrast contrast) {
        return file(caseFolder, id, contrast.suffix());
    }

    /** The segmentation's file in a case folder: {@code caseFolder/<id>_seg.nii.gz}. */
    public static Path labelFile(Path caseFolder, String id) {
        return file(caseFolder, id, LABEL_SUFFIX);
    }

    private static Path file(Path caseFolder, String id, String suffix) {
        return caseFolder.resolve(id + "_" + suffix + EXTENSION);
    }
}
