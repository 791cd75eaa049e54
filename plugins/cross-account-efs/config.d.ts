export interface Config {
  crossAccountEfs?: {
    templates?: {
      /**
       * The catalog namespace the cross-account EFS templates are registered
       * in (their links open the scaffolder's form there). Default: default.
       * @visibility frontend
       */
      namespace?: string;
    };
  };
}
