/**
 * The parx API: the {@link dev.parx.Task} SPI that users implement, the {@link dev.parx.Pool}
 * that runs tasks, {@link dev.parx.TaskHandle}s, {@link dev.parx.Channel}s, {@link dev.parx.Codec}s
 * and the exceptions every implementation reports. It has no dependencies beyond {@code java.base}.
 */
module dev.parx.api {
    exports dev.parx;
}
