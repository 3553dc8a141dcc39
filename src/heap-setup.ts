// Imported first by index.ts, so that it runs before the rest of the bundle is evaluated.
import { keepHeapSmall } from './heap.js';

keepHeapSmall();
