// Reads {"schema": {...}, "queries": [{"name", "text"}]} on stdin and prints, as JSON, the
// diagnostics Neo4j's semantic analysis (@neo4j-cypher/language-support) gives each query.
// Built-in functions and procedures come from the package's own mock schema.
import { lintCypherQuery, testData } from "@neo4j-cypher/language-support";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const schema = {
  ...input.schema,
  functions: testData.mockSchema.functions,
  procedures: testData.mockSchema.procedures,
};
const out = input.queries.map(({ name, text }) => {
  const { diagnostics } = lintCypherQuery(text, schema);
  return {
    name,
    diagnostics: diagnostics.map((d) => ({
      severity: d.severity === 1 ? "error" : "warning",
      message: d.message,
      offset: d.offsets?.start ?? null,
    })),
  };
});
process.stdout.write(JSON.stringify(out));
