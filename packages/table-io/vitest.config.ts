import { ciaVitestConfig } from "@cia/vitest-preset";

export default ciaVitestConfig();
