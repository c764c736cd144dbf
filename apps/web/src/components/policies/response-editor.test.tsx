import { compilePolicy, type PolicyDefinition } from "@bulwark/policy";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { definitionToForm, emptyForm, formToDefinition, tunedBuiltinDefinition } from "./form-model.ts";
import { definitionToYaml } from "./policy-yaml.ts";
import { ResponseEditor } from "./response-editor.tsx";

// The policy editor's "Runtime response" control: the form round-trips `response` (custom and built-in
// policies), blank rule lines are dropped, no action writes no response, and the control renders
// labelled fields, the inactive note and errors at their path.

const shellGuard: PolicyDefinition = {
  id: "shell-guard",
  name: "No interactive shells",
  severity: "HIGH",
  stages: ["RUNTIME"],
  enforcement: "ENFORCE",
  rule: { type: "cel", expression: "false" },
  response: { action: "DELETE_POD", runtimeRules: ["Terminal shell in container", "Drop and execute new binary in container"] },
};

describe("response in the form model", () => {
  it("round-trips a definition with a response", () => {
    const form = definitionToForm(shellGuard);
    expect(form).toMatchObject({ responseAction: "DELETE_POD", responseRules: "Terminal shell in container\nDrop and execute new binary in container" });
    expect(formToDefinition(form)).toEqual({ ...shellGuard, stages: ["RUNTIME"] });
    expect(compilePolicy(formToDefinition(form)).ok).toBe(true);
  });

  it("writes no response without an action, and drops blank rule lines", () => {
    expect(formToDefinition({ ...emptyForm(), id: "x", responseRules: "Terminal shell in container" })).not.toHaveProperty("response");
    const def = formToDefinition({ ...definitionToForm(shellGuard), responseAction: "SCALE_TO_ZERO", responseRules: "\n  Write below etc  \n\n" });
    expect(def.response).toEqual({ action: "SCALE_TO_ZERO", runtimeRules: ["Write below etc"] });
    expect(formToDefinition({ ...definitionToForm(shellGuard), responseRules: "" }).response).toEqual({ action: "DELETE_POD" });
  });

  it("is a tunable field of built-ins", () => {
    const current = { id: "no-privileged", enforcement: "ENFORCE", rule: { type: "builtin", id: "no-privileged" } } as PolicyDefinition;
    const tuned = tunedBuiltinDefinition(current, { ...definitionToForm(current), enforcement: "ENFORCE", responseAction: "SCALE_TO_ZERO" });
    expect(tuned.response).toEqual({ action: "SCALE_TO_ZERO" });
    expect(compilePolicy(tuned).ok).toBe(true);
  });

  it("shows the response last in YAML", () => {
    const yaml = definitionToYaml(shellGuard);
    expect(yaml.trimEnd().split("\n").slice(-5)).toEqual(["response:", "  action: DELETE_POD", "  runtimeRules:", "    - Terminal shell in container", "    - Drop and execute new binary in container"]);
  });
});

describe("ResponseEditor", () => {
  const render = (props: Partial<Parameters<typeof ResponseEditor>[0]> = {}) =>
    renderToStaticMarkup(<ResponseEditor action="" rules="" onAction={() => {}} onRules={() => {}} acts errors={[]} {...props} />);

  it("offers the actions in a labelled select and hides the rules without one", () => {
    const html = render();
    expect(html).toContain('<label for="response-action"');
    expect(html).toMatch(/<option value="" selected="">None \(report only\)<\/option>/);
    expect(html).toContain('<option value="DELETE_POD">Delete pod</option>');
    expect(html).toContain('<option value="SCALE_TO_ZERO">Scale to zero</option>');
    expect(html).not.toContain("response-rules");
  });

  it("shows the rules, the action's effect, and a note when the policy is ENFORCE nowhere", () => {
    const html = render({ action: "SCALE_TO_ZERO", rules: "Terminal shell in container", acts: false });
    expect(html).toMatch(/<option value="SCALE_TO_ZERO" selected="">/);
    expect(html).toContain('<label for="response-rules"');
    expect(html).toContain(">Terminal shell in container</textarea>");
    expect(html).toContain("Scales the failing Deployment, StatefulSet or ReplicaSet");
    expect(html).toContain('data-testid="response-inactive"');
    expect(render({ action: "DELETE_POD", acts: true })).not.toContain("response-inactive");
  });

  it("lists errors under the response path", () => {
    const html = render({ action: "DELETE_POD", errors: [{ path: "response", message: "needs the RUNTIME stage" }, { path: "response.runtimeRules[1]", message: "must not be blank" }, { path: "name", message: "elsewhere" }] });
    expect(html).toContain("needs the RUNTIME stage");
    expect(html).toContain("<code class=\"font-mono\">runtimeRules[1]</code>: must not be blank");
    expect(html).not.toContain("elsewhere");
    expect(html).toContain('aria-invalid="true"');
  });
});
