package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.pipeline.ValidatorKeyFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code cmt keygen}: create a validator key file ({@link ValidatorKeyFile}) and print its public key, which goes
 * into the genesis (a {@code dpos.candidates} entry), and its address.
 */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
        "Create a validator key file and print its public key and address.",
        "The key is Ed25519, from the system's strong random source, in a new file readable by its owner only. " +
            "Put the public key in the genesis as a DPoS candidate (\"dpos\": {\"candidates\": [{\"publicKey\": " +
            "..., \"stakeMicroCmt\": ..., \"maxStakeMicroCmt\": ..., \"commissionPpm\": ...}]}; docs/dpos.md) and " +
            "start the node with --validator-key FILE."})
public final class KeygenCommand implements Callable<Integer>
{
    @Option(names = "--out", paramLabel = "FILE", required = true,
        description = "the key file to create; an existing file is never overwritten")
    File out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (out.isDirectory())
        {
            // Else refused as a file that 'exists already', which reads as a key file there.
            err.println("cmt keygen: --out " + out + " is a directory; give the path of the key file to create, e.g. " +
                new File(out, "validator.key"));
            return 1;
        }
        final Ed25519Key key = ValidatorKeyFile.generate();
        try
        {
            ValidatorKeyFile.write(out, key);
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("cmt keygen: " + ex.getMessage());
            return 1;
        }
        stdout.println("cmt keygen: wrote " + out);
        stdout.println("public key " + Hex.encode(key.publicKey()));
        stdout.println("address    " + Hex.encode(key.address()));
        stdout.flush();
        return 0;
    }
}
