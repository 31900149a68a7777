export { DEMO_PASSWORD, demoCity } from './demo.data.ts';
export { type DemoAccount, demoBanner, seedDemo } from './demo.seed.ts';
