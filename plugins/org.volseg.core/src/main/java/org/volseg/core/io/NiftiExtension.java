package org.volseg.core.io;

/**
 * One NIfTI header extension, kept verbatim so that a read-modify-write keeps what other tools stored (DICOM
 * tags, AFNI attributes, CIFTI XML).
 *
 * @param code the extension's ecode (e.g. 2 DICOM, 4 AFNI, 32 CIFTI)
 * @param data its bytes, without the 8-byte esize/ecode prefix, padding included
 */
public record NiftiExtension(int code, byte[] data) {

    /** Bytes this extension takes in a file: 8 bytes of esize and ecode, then the data padded to 16. */
    public int sizeInFile() {
        int raw = 8 + data.length;
        return (raw + 15) / 16 * 16;
    }
}
