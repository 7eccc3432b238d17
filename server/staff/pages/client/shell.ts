// Pages with no behaviour of their own (e.g. "access denied") still get the header's sign-out button.
import './common.js';
