// k6 (v0.53+) and Node both give ES modules import.meta.resolve; the k6 types do not declare it.
interface ImportMeta {
  resolve(specifier: string): string;
}
