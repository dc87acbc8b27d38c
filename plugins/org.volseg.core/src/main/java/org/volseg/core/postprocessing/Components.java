package org.volseg.core.postprocessing;

import java.util.Arrays;
import java.util.function.IntPredicate;
import org.volseg.core.volume.Geometry;

/**
 * Connected components of a voxel set, found by breadth-first search over flat indices (x fastest).
 *
 * @param ids   per voxel, its component from 1, or 0 outside the set
 * @param sizes voxels of component k + 1 at index k
 */
record Components(int[] ids, int[] sizes) {

    /**
     * Labels the components of the voxels {@code inSet} accepts.
     *
     * @param full 26-connectivity (faces, edges, corners) when true, 6 (faces) when false
     */
    static Components of(Geometry g, IntPredicate inSet, boolean full) {
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        int[] ids = new int[g.voxels()];
        int[] sizes = new int[16];
        int count = 0;
        int[] queue = new int[1024];
        for (int seed = 0; seed < ids.length; seed++) {
            if (ids[seed] != 0 || !inSet.test(seed)) {
                continue;
            }
            count++;
            if (count > sizes.length) {
                sizes = Arrays.copyOf(sizes, sizes.length * 2);
            }
            int head = 0;
            int tail = 0;
            int size = 1;
            queue[tail++] = seed;
            ids[seed] = count;
            while (head < tail) {
                int i = queue[head++];
                int x = i % nx;
                int y = (i / nx) % ny;
                int z = i / (nx * ny);
                for (int dz = -1; dz <= 1; dz++) {
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int away = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
                            if (away == 0 || (!full && away > 1)) {
                                continue;
                            }
                            int xx = x + dx;
                            int yy = y + dy;
                            int zz = z + dz;
                            if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) {
                                continue;
                            }
                            int j = xx + nx * (yy + ny * zz);
                            if (ids[j] == 0 && inSet.test(j)) {
                                ids[j] = count;
                                size++;
                                if (tail == queue.length) {
                                    // the queue only grows: compact what was already visited first
                                    System.arraycopy(queue, head, queue, 0, tail - head);
                                    tail -= head;
                                    head = 0;
                                    if (tail == queue.length) {
                                        queue = Arrays.copyOf(queue, queue.length * 2);
                                    }
                                }
                                queue[tail++] = j;
                            }
                        }
                    }
                }
            }
            sizes[count - 1] = size;
        }
        return new Components(ids, Arrays.copyOf(sizes, count));
    }
}
