import jdk.incubator.vector.*;
import java.security.MessageDigest;

public class VectorSha256 {
  static final VectorSpecies<Integer> S = IntVector.SPECIES_512;
  static final int L = 16;
  static final int[] K = {
   0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,
   0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,
   0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,
   0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,
   0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,
   0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,
   0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,
   0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2};
  static final int[] H0 = {0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19};

  // w: 16 words x 16 lanes, lane-major per word: w[t*16+lane]; state: 8 x 16
  static void compress(int[] w, int[] st) {
    IntVector a = IntVector.fromArray(S, st, 0), b = IntVector.fromArray(S, st, 16), c = IntVector.fromArray(S, st, 32), d = IntVector.fromArray(S, st, 48);
    IntVector e = IntVector.fromArray(S, st, 64), f = IntVector.fromArray(S, st, 80), g = IntVector.fromArray(S, st, 96), h = IntVector.fromArray(S, st, 112);
    IntVector[] W = new IntVector[16];
    for (int t = 0; t < 16; t++) W[t] = IntVector.fromArray(S, w, t * 16);
    for (int t = 0; t < 64; t++) {
      IntVector wt;
      if (t < 16) wt = W[t];
      else {
        IntVector w15 = W[(t - 15) & 15], w2 = W[(t - 2) & 15];
        IntVector s0 = w15.lanewise(VectorOperators.ROR, 7).lanewise(VectorOperators.XOR, w15.lanewise(VectorOperators.ROR, 18)).lanewise(VectorOperators.XOR, w15.lanewise(VectorOperators.LSHR, 3));
        IntVector s1 = w2.lanewise(VectorOperators.ROR, 17).lanewise(VectorOperators.XOR, w2.lanewise(VectorOperators.ROR, 19)).lanewise(VectorOperators.XOR, w2.lanewise(VectorOperators.LSHR, 10));
        wt = W[t & 15].add(s0).add(W[(t - 7) & 15]).add(s1);
        W[t & 15] = wt;
      }
      IntVector S1 = e.lanewise(VectorOperators.ROR, 6).lanewise(VectorOperators.XOR, e.lanewise(VectorOperators.ROR, 11)).lanewise(VectorOperators.XOR, e.lanewise(VectorOperators.ROR, 25));
      IntVector ch = e.and(f).lanewise(VectorOperators.XOR, e.lanewise(VectorOperators.NOT).and(g));
      IntVector t1 = h.add(S1).add(ch).add(K[t]).add(wt);
      IntVector S0 = a.lanewise(VectorOperators.ROR, 2).lanewise(VectorOperators.XOR, a.lanewise(VectorOperators.ROR, 13)).lanewise(VectorOperators.XOR, a.lanewise(VectorOperators.ROR, 22));
      IntVector maj = a.and(b).lanewise(VectorOperators.XOR, a.and(c)).lanewise(VectorOperators.XOR, b.and(c));
      IntVector t2 = S0.add(maj);
      h = g; g = f; f = e; e = d.add(t1); d = c; c = b; b = a; a = t1.add(t2);
    }
    a.add(IntVector.fromArray(S, st, 0)).intoArray(st, 0);
    b.add(IntVector.fromArray(S, st, 16)).intoArray(st, 16);
    c.add(IntVector.fromArray(S, st, 32)).intoArray(st, 32);
    d.add(IntVector.fromArray(S, st, 48)).intoArray(st, 48);
    e.add(IntVector.fromArray(S, st, 64)).intoArray(st, 64);
    f.add(IntVector.fromArray(S, st, 80)).intoArray(st, 80);
    g.add(IntVector.fromArray(S, st, 96)).intoArray(st, 96);
    h.add(IntVector.fromArray(S, st, 112)).intoArray(st, 112);
  }

  // hash 16 messages of 65 bytes each (two blocks), from msgs[lane*65..]
  static void hash65(byte[] msgs, byte[] out, int[] w, int[] st) {
    for (int i = 0; i < 8; i++) for (int l = 0; l < 16; l++) st[i * 16 + l] = H0[i];
    for (int blk = 0; blk < 2; blk++) {
      for (int t = 0; t < 16; t++) {
        for (int l = 0; l < 16; l++) {
          int base = l * 65 + blk * 64 + t * 4;
          int v = 0;
          for (int k = 0; k < 4; k++) {
            int idx = blk * 64 + t * 4 + k; int byt;
            if (idx < 65) byt = msgs[l * 65 + idx] & 0xff; else if (idx == 65) byt = 0x80; else if (idx >= 120) byt = (int)((65L * 8) >>> (8 * (127 - idx))) & 0xff; else byt = 0;
            v = (v << 8) | byt;
          }
          w[t * 16 + l] = v;
        }
      }
      compress(w, st);
    }
    for (int l = 0; l < 16; l++) for (int i = 0; i < 8; i++) { int v = st[i * 16 + l]; out[l*32+i*4]=(byte)(v>>>24); out[l*32+i*4+1]=(byte)(v>>>16); out[l*32+i*4+2]=(byte)(v>>>8); out[l*32+i*4+3]=(byte)v; }
  }

  public static void main(String[] args) throws Exception {
    byte[] msgs = new byte[16 * 65]; new java.util.Random(1).nextBytes(msgs);
    byte[] out = new byte[16 * 32]; int[] w = new int[256]; int[] st = new int[128];
    hash65(msgs, out, w, st);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (int l = 0; l < 16; l++) { md.update(msgs, l * 65, 65); byte[] r = md.digest(); if (!java.util.Arrays.equals(r, java.util.Arrays.copyOfRange(out, l*32, l*32+32))) { System.out.println("MISMATCH lane " + l); return; } }
    System.out.println("ok");
    byte[] o2 = new byte[32];
    for (int round = 0; round < 6; round++) {
      long t0 = System.nanoTime(); long s = 0;
      for (int i = 0; i < 200_000; i++) { hash65(msgs, out, w, st); msgs[i & 1023] ^= out[3]; }
      long tc = System.nanoTime();
      for (int i = 0; i < 400_000; i++) { compress(w, st); w[i & 255] ^= st[5]; }
      long tc2 = System.nanoTime();
      System.out.printf("compress only: %.1f ns per block%n", (tc2 - tc) / 6.4e6);
      long t1 = System.nanoTime();
      for (int i = 0; i < 200_000 * 16; i++) { md.update(msgs, (i & 15) * 65, 65); md.digest(o2, 0, 32); msgs[i & 1023] ^= o2[3]; }
      long t2 = System.nanoTime();
      System.out.printf("vector: %.1f ns per 65-byte hash; JDK: %.1f ns%n", (t1 - t0) / 3.2e6, (t2 - t1) / 3.2e6);
    }
  }
}
