import java.security.MessageDigest;
import java.lang.reflect.Field;
public class DigestResetCost {
  public static void main(String[] a) throws Exception {
    byte[] in = new byte[64]; byte[] out = new byte[64];
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    Field w = null;
    Field spiF = Class.forName("java.security.MessageDigest$Delegate").getDeclaredField("digestSpi"); spiF.setAccessible(true); Object spi = spiF.get(md);
    Class<?> c = spi.getClass();
    while (c != null) { try { w = c.getDeclaredField("W"); break; } catch (NoSuchFieldException e) { c = c.getSuperclass(); } }
    w.setAccessible(true);
    int[] fillme = new int[64];
    for (int round = 0; round < 8; round++) {
      boolean nul = a.length > 0 && round >= 4;
      if (nul) w.set(spi, null);
      long t0 = System.nanoTime();
      long s = 0;
      for (int i = 0; i < 5_000_000; i++) {
        md.update((byte)1); md.update(in, 0, 64); md.digest(out, 0, 32); in[i & 63] ^= out[0]; s += out[1];
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < 5_000_000; i++) { java.util.Arrays.fill(fillme, i); s += fillme[i & 63]; }
      long t2 = System.nanoTime();
      System.out.printf("round %d W=%s sha65 %.1f ns  fill64 %.1f ns %d%n", round, w.get(spi) == null ? "null" : "set", (t1 - t0) / 5e6, (t2 - t1) / 5e6, s & 1);
    }
  }
}
