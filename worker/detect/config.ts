// The detection stage's own settings (STYLE.md: each worker stage has a zod schema with .describe()).
import { z } from "zod";

export const detectorConfigSchema = z
  .object({
    threads: z.coerce
      .number()
      .int()
      .min(1)
      .max(16)
      .default(2)
      .describe("onnxruntime intra-op threads per model session (WORKER_DETECT_THREADS); shared by the cameras"),
  })
  .strict();
export type DetectorConfig = z.infer<typeof detectorConfigSchema>;
