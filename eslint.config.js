// ESLint flat config (npm run lint): typescript-eslint's recommended rules over the whole repo.
// Type errors and undefined names are TypeScript's job (npm run typecheck), so no-undef stays off.
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/",
      "public/build/",
      "node_modules/",
      "data/",
      "tests/.tmp/",
      "test-results/",
      "playwright-report/",
      ".cache/",
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks an argument or binding kept on purpose (Express error handlers, etc.).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
);
