package org.volseg.ops.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsSchemaTest {

    enum Architecture { UNET_3D, FULLY_INVRES }

    record Example(
            @Setting(key = "patch_size", label = "Patch size", description = "Edge of a training patch.",
                    defaultValue = "64", min = 16, max = 512) int patchSize,
            @Setting(key = "learning_rate", label = "Learning rate", description = "Step size.",
                    defaultValue = "0.001", min = 0, max = 1) double learningRate,
            @Setting(key = "mode", label = "Mode", description = "How.", defaultValue = "fast",
                    choices = {"fast", "exact"}) String mode,
            @Setting(key = "architecture", label = "Architecture", description = "Which network.",
                    defaultValue = "unet-3d") Architecture architecture,
            @Setting(key = "vae", label = "VAE branch", description = "Regularise.", defaultValue = "false")
            boolean vae,
            @Setting(key = "output", label = "Output folder", description = "Where.", defaultValue = "")
            Path output) {
    }

    private final SettingsSchema<Example> schema = SettingsSchema.of(Example.class);

    @Test
    void defaultsComeFromTheAnnotations() {
        assertThat(schema.defaults()).isEqualTo(new Example(64, 0.001, "fast", Architecture.UNET_3D, false, null));
        assertThat(schema.settings()).extracting(SettingSpec::option).containsExactly("--patch-size",
                "--learning-rate", "--mode", "--architecture", "--vae", "--output");
        assertThat(schema.settings().get(3).choices()).containsExactly("unet-3d", "fully-invres");
    }

    @Test
    void parseAndFormatRoundTrip() throws Exception {
        Example e = schema.parse(Map.of("patch_size", "96", "architecture", "fully-invres", "vae", "TRUE",
                "output", "/tmp/out"));
        assertThat(e).isEqualTo(new Example(96, 0.001, "fast", Architecture.FULLY_INVRES, true, Path.of("/tmp/out")));
        assertThat(schema.parse(schema.format(e))).isEqualTo(e);
    }

    @Test
    void refusalsNameTheSettingAndWhatIsAllowed() {
        assertThatThrownBy(() -> schema.parse(Map.of("patch_size", "8")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("Patch size (patch_size) is 8; allowed: 16 to 512");
        assertThatThrownBy(() -> schema.parse(Map.of("learning_rate", "fast")))
                .hasMessage("Learning rate (learning_rate) is 'fast'; allowed: 0 to 1");
        assertThatThrownBy(() -> schema.parse(Map.of("mode", "slow")))
                .hasMessage("Mode (mode) is 'slow'; allowed: fast or exact");
        assertThatThrownBy(() -> schema.parse(Map.of("architecture", "resnet")))
                .hasMessage("Architecture (architecture) is 'resnet'; allowed: unet-3d or fully-invres");
        assertThatThrownBy(() -> schema.parse(Map.of("vae", "yes")))
                .hasMessage("VAE branch (vae) is 'yes'; allowed: true or false");
        assertThatThrownBy(() -> schema.parse(Map.of("patchsize", "8")))
                .hasMessageStartingWith("there is no setting 'patchsize'");
    }

    record Unannotated(int x) {
    }

    @Test
    void aSettingWithoutItsAnnotationIsACodingError() {
        assertThatThrownBy(() -> SettingsSchema.of(Unannotated.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Unannotated.x has no @Setting");
    }
}
