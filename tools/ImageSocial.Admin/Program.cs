using ImageSocial.Admin;

return await AdminTool.RunAsync(args, Console.Out, Console.Error);
