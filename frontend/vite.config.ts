import { writeFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vitest/config';

// keepPlaceholder puts back dist/.gitkeep after Vite empties the folder, so that the committed
// placeholder — which lets `go build` embed dist/ on a clone where npm never ran — never shows
// up as deleted in git.
function keepPlaceholder(): Plugin {
  return {
    name: 'pantau-keep-dist-placeholder',
    apply: 'build',
    closeBundle() {
      writeFileSync(new URL('./dist/.gitkeep', import.meta.url), '');
    },
  };
}

// Preact's automatic JSX runtime through esbuild: no framework plugin needed.
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  plugins: [keepPlaceholder()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    assetsDir: 'assets',
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
