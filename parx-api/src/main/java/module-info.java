/**
 * The parx API: the {@link dev.parx.Task} SPI that users implement, the {@link dev.parx.Pool}
 * that runs tasks, {@link dev.parx.TaskHandle}s, {@link dev.parx.Channel}s, {@link dev.parx.Codec}s
 * and the exceptions every implementation reports. It has no dependencies beyond {@code java.base}.
 *
 * <p>The package {@code dev.parx.internal} is shared with the parx implementation modules only;
 * it is not part of the API.
 */
@SuppressWarnings("module") // the implementation modules are built after this one
module dev.parx.api {
    exports dev.parx;
    exports dev.parx.internal to dev.parx.threads, dev.parx.process;
}
