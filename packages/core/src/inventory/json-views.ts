import { z } from "zod";

// JSON columns written by other parts of Bulwark (policy evaluation, risk refresh, inventory ingest),
// read defensively: an entry that does not fit is dropped, never a failed page.

const policyResultSchema = z.object({
  policy: z.string(),
  title: z.string().catch(""),
  severity: z.string().catch("MEDIUM"),
  category: z.string().catch(""),
  result: z.string(),
  message: z.string().optional().catch(undefined),
  containers: z.array(z.string()).optional().catch(undefined),
});
export type PolicyResultView = z.infer<typeof policyResultSchema>;

const riskFactorSchema = z.object({ key: z.string().catch("other"), points: z.number().finite(), reason: z.string().catch("") });
export type RiskFactorView = z.infer<typeof riskFactorSchema>;

const exposureSchema = z.object({ service: z.string(), type: z.string().catch(""), ports: z.array(z.number()).catch([]) });
export type ExposureView = z.infer<typeof exposureSchema>;

function eachValid<T>(json: unknown, schema: z.ZodType<T>): T[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((item) => {
    const r = schema.safeParse(item);
    return r.success ? [r.data] : [];
  });
}

export const readPolicyResults = (json: unknown): PolicyResultView[] => eachValid(json, policyResultSchema);
export const readRiskFactors = (json: unknown): RiskFactorView[] => eachValid(json, riskFactorSchema).sort((a, b) => b.points - a.points);
export const readExposure = (json: unknown): ExposureView[] => eachValid(json, exposureSchema);
