package org.volseg.ops.overlay;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

/**
 * Draws three orthogonal slices (sagittal, coronal, axial) through a label map's centre, image in grey and labels
 * in colour, in world orientation whatever the file's voxel order: anterior and superior up, the patient's right
 * on the viewer's left (radiological convention, as most clinical viewers show it).
 */
final class OverlayRenderer {

    /** Distinct colours for labels 1, 2, 3, ... (background is not drawn). */
    private static final Color[] PALETTE = {new Color(0xE6194B), new Color(0x3CB44B), new Color(0xFFE119),
        new Color(0x4363D8), new Color(0xF58231), new Color(0x911EB4), new Color(0x46F0F0), new Color(0xF032E6),
        new Color(0xBCF60C), new Color(0x008080)};

    private final float[] image;
    private final LabelMap labels;
    private final Geometry grid;
    private final int[] worldAxisOf = new int[3];
    private final boolean[] flipped = new boolean[3];
    private final double low;
    private final double high;

    OverlayRenderer(float[] image, LabelMap labels) {
        this.image = image;
        this.labels = labels;
        this.grid = labels.geometry();
        String code = grid.orientation();
        for (int axis = 0; axis < 3; axis++) {
            char c = code.charAt(axis);
            worldAxisOf[axis] = "RL".indexOf(c) >= 0 ? 0 : "AP".indexOf(c) >= 0 ? 1 : 2;
            flipped[axis] = "LPI".indexOf(c) >= 0;
        }
        float[] sorted = image.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        low = sorted[(int) (0.01 * (n - 1))];
        high = Math.max(low + 1e-6, sorted[(int) (0.99 * (n - 1))]);
    }

    /** The PNG: three panels side by side with their names. */
    byte[] render(int panelSize, boolean outline, double opacity) throws IOException {
        int[] centre = centre();
        BufferedImage out = new BufferedImage(3 * panelSize, panelSize + 18, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        String[] names = {"sagittal", "coronal", "axial"};
        int[][] screenAxes = {{1, 2}, {0, 2}, {0, 1}}; // world axes shown across and up in each view
        for (int view = 0; view < 3; view++) {
            int across = screenAxes[view][0];
            int up = screenAxes[view][1];
            BufferedImage panel = panel(view, across, up, centre, outline, opacity);
            // keep millimetres square: a 2×2×3 mm grid is not drawn as if its voxels were cubes
            double widthMm = size(across) * spacing(across);
            double heightMm = size(up) * spacing(up);
            double scale = panelSize / Math.max(widthMm, heightMm);
            int w = (int) Math.round(widthMm * scale);
            int h = (int) Math.round(heightMm * scale);
            g.drawImage(panel, view * panelSize + (panelSize - w) / 2, (panelSize - h) / 2, w, h, null);
            g.setColor(Color.LIGHT_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(names[view], view * panelSize + 4, panelSize + 14);
        }
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(out, "png", png);
        return png.toByteArray();
    }

    /** The voxel axis that runs along a world axis (0 R, 1 A, 2 S). */
    private int voxelAxis(int worldAxis) {
        for (int axis = 0; axis < 3; axis++) {
            if (worldAxisOf[axis] == worldAxis) {
                return axis;
            }
        }
        throw new IllegalStateException("no voxel axis along world axis " + worldAxis);
    }

    /** Voxels along a world axis. */
    private int size(int worldAxis) {
        return new int[] {grid.nx(), grid.ny(), grid.nz()}[voxelAxis(worldAxis)];
    }

    /** Voxel size in mm along a world axis. */
    private double spacing(int worldAxis) {
        return new double[] {grid.spacingX(), grid.spacingY(), grid.spacingZ()}[voxelAxis(worldAxis)];
    }

    /** The flat index of a voxel given in world order (RAS indices). */
    private int index(int[] ras) {
        int[] voxel = new int[3];
        int[] dims = {grid.nx(), grid.ny(), grid.nz()};
        for (int axis = 0; axis < 3; axis++) {
            int i = ras[worldAxisOf[axis]];
            voxel[axis] = flipped[axis] ? dims[axis] - 1 - i : i;
        }
        return grid.index(voxel[0], voxel[1], voxel[2]);
    }

    /** Centre of the labels' bounding box in RAS indices (the grid's centre when there are no labels). */
    private int[] centre() {
        int[] min = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] max = {-1, -1, -1};
        int[] ras = new int[3];
        for (ras[2] = 0; ras[2] < size(2); ras[2]++) {
            for (ras[1] = 0; ras[1] < size(1); ras[1]++) {
                for (ras[0] = 0; ras[0] < size(0); ras[0]++) {
                    if (labels.get(index(ras)) > 0) {
                        for (int k = 0; k < 3; k++) {
                            min[k] = Math.min(min[k], ras[k]);
                            max[k] = Math.max(max[k], ras[k]);
                        }
                    }
                }
            }
        }
        int[] centre = new int[3];
        for (int k = 0; k < 3; k++) {
            centre[k] = max[k] < 0 ? size(k) / 2 : (min[k] + max[k]) / 2;
        }
        return centre;
    }

    private BufferedImage panel(int view, int across, int up, int[] centre, boolean outline, double opacity) {
        int w = size(across);
        int h = size(up);
        BufferedImage panel = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] ras = centre.clone();
        for (int v = 0; v < h; v++) {
            for (int u = 0; u < w; u++) {
                // radiological: the patient's right (high R index) on the viewer's left
                ras[across] = across == 0 ? w - 1 - u : u;
                ras[up] = h - 1 - v;
                int i = index(ras);
                int grey = (int) Math.round(255 * Math.max(0, Math.min(1, (image[i] - low) / (high - low))));
                int label = labels.get(i);
                int rgb = (grey << 16) | (grey << 8) | grey;
                if (label > 0 && (!outline || border(ras, across, up, label))) {
                    Color c = PALETTE[(label - 1) % PALETTE.length];
                    double a = outline ? 1 : opacity;
                    rgb = blend(grey, c.getRed(), a) << 16 | blend(grey, c.getGreen(), a) << 8
                            | blend(grey, c.getBlue(), a);
                }
                panel.setRGB(u, v, rgb);
            }
        }
        return panel;
    }

    private boolean border(int[] ras, int across, int up, int label) {
        int[] n = ras.clone();
        for (int[] step : new int[][] {{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
            n[across] = ras[across] + step[0];
            n[up] = ras[up] + step[1];
            if (n[across] < 0 || n[up] < 0 || n[across] >= size(across) || n[up] >= size(up)
                    || labels.get(index(n)) != label) {
                return true;
            }
        }
        return false;
    }

    private static int blend(int grey, int colour, double alpha) {
        return (int) Math.round(grey * (1 - alpha) + colour * alpha);
    }
}
