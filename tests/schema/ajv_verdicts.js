// Reads {"schema", "docs": {name: plan}} on stdin; compiles the schema with Ajv in strict mode
// (draft 2020-12) and prints {name: valid} as JSON. Usage: node ajv_verdicts.js PATH/TO/ajv/dist/2020.js
const Ajv2020 = require(process.argv[2]).default;
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const ajv = new Ajv2020({strict: true, allErrors: true});
const validate = ajv.compile(input.schema);
const out = {};
for (const [name, doc] of Object.entries(input.docs)) out[name] = validate(doc);
process.stdout.write(JSON.stringify(out));
