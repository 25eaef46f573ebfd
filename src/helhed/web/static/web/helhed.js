/* Start the DKFDS components (mobile menu, accordions, tabs, …) once the page is parsed. */
(function () {
  "use strict";
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
})();
